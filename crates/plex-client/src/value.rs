//! Lenient readers for Plex's JSON values and timestamps (plex-api.md §0.3): ids arrive as
//! strings or numbers, booleans as `true`, `1`, `"1"` or `"true"`, and timestamps as epoch
//! seconds, RFC 3339, or `YYYY-MM-DD HH:MM:SS UTC`.

use serde_json::Value;

/// A JSON id, which arrives as a string or a number; empty is absent.
pub(crate) fn json_id(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A JSON unsigned number, from a number or a numeric string.
pub(crate) fn json_u64(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON boolean in any Plex spelling; absent and `null` are false.
pub(crate) fn boolish(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_u64().is_some_and(|n| n != 0),
        Some(Value::String(s)) => s == "1" || s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A timestamp in any Plex format, as seconds since 1970: a JSON number or numeric string,
/// RFC 3339 (`2021-01-11T01:11:31Z`, fractions and offsets allowed), or
/// `2020-06-12 12:28:51 UTC`. Anything else is absent.
pub(crate) fn epoch_seconds(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => parse_time(s),
        _ => None,
    }
}

/// [`epoch_seconds`] for a text value (XML attributes).
pub(crate) fn parse_time(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let (date, rest) = text.split_at_checked(10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let rest = rest.strip_prefix(['T', ' '])?;
    let (clock, zone) = rest.split_at_checked(8)?;
    let mut hms = clock.split(':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (hms.next()??, hms.next()??, hms.next()??);
    // Skip fractional seconds, then read the zone: Z, UTC, or ±HH:MM.
    let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone.trim() {
        "Z" | "UTC" | "" => 0,
        signed => {
            let (sign, hhmm) = signed.split_at_checked(1)?;
            let (h, m) = hhmm.split_once(':')?;
            let minutes = h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?;
            match sign {
                "+" => minutes * 60,
                "-" => -minutes * 60,
                _ => return None,
            }
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    u64::try_from(secs).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::{boolish, epoch_seconds, json_id, parse_time};
    use serde_json::json;

    #[test]
    fn boolish_accepts_every_plex_spelling() {
        for yes in [json!(true), json!(1), json!("1"), json!("true")] {
            assert!(boolish(Some(&yes)), "{yes}");
        }
        for no in [
            json!(false),
            json!(0),
            json!("0"),
            json!("false"),
            json!(null),
        ] {
            assert!(!boolish(Some(&no)), "{no}");
        }
        assert!(!boolish(None));
    }

    #[test]
    fn ids_come_as_strings_or_numbers() {
        assert_eq!(json_id(Some(&json!("12"))).as_deref(), Some("12"));
        assert_eq!(json_id(Some(&json!(12))).as_deref(), Some("12"));
        assert_eq!(json_id(Some(&json!(""))), None);
    }

    #[test]
    fn every_plex_timestamp_format_reads_as_the_same_instant() {
        let instant = 1_591_964_931;
        for form in [
            "1591964931",
            "2020-06-12T12:28:51Z",
            "2020-06-12T12:28:51.000Z",
            "2020-06-12T14:28:51+02:00",
            "2020-06-12 12:28:51 UTC",
        ] {
            assert_eq!(parse_time(form), Some(instant), "{form}");
        }
        assert_eq!(epoch_seconds(Some(&json!(instant))), Some(instant));
        assert_eq!(parse_time("2000-02-29T00:00:00Z"), Some(951_782_400));
        for junk in [
            "",
            "yesterday",
            "2020-13-01T00:00:00Z",
            "2020-06-12T12:28:51 CET",
        ] {
            assert_eq!(parse_time(junk), None, "{junk}");
        }
    }
}
