//! Turning API values into text for people.

use chrono::{DateTime, Utc};

/// A timestamp in the browser's locale and time zone.
pub(crate) fn datetime(at: DateTime<Utc>) -> String {
    String::from(js_date(at).to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// "in 5 min", "3 h ago": the distance between `at` and now.
pub(crate) fn relative(at: DateTime<Utc>) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "milliseconds since 1970 fit in an i64"
    )]
    let now_ms = js_sys::Date::now() as i64;
    let delta = (at.timestamp_millis() - now_ms) / 1000;
    let (future, secs) = (delta > 0, delta.unsigned_abs());
    let amount = match secs {
        0..=44 => return "just now".to_owned(),
        45..=5399 => format!("{} min", secs.div_ceil(60).max(1)),
        5400..=129_599 => format!("{} h", (secs + 1800) / 3600),
        _ => format!("{} d", (secs + 43_200) / 86_400),
    };
    if future {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// "2 d 3 h", "5 min": how long since `since`.
pub(crate) fn uptime(since: DateTime<Utc>) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "milliseconds since 1970 fit in an i64"
    )]
    let now_ms = js_sys::Date::now() as i64;
    let secs = ((now_ms - since.timestamp_millis()) / 1000).max(0);
    let (days, hours, mins) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (d, h) => format!("{d} d {h} h"),
    }
}

fn js_date(at: DateTime<Utc>) -> js_sys::Date {
    #[expect(
        clippy::cast_precision_loss,
        reason = "milliseconds since 1970 fit in an f64"
    )]
    let millis = at.timestamp_millis() as f64;
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis))
}

/// A day in the browser's locale and time zone, without the time.
pub(crate) fn date(at: DateTime<Utc>) -> String {
    String::from(js_date(at).to_locale_date_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// `at` as the browser's time zone sees it, in the `YYYY-MM-DD` of a date input.
pub(crate) fn date_input(at: DateTime<Utc>) -> String {
    let local = js_date(at);
    format!(
        "{:04}-{:02}-{:02}",
        local.get_full_year(),
        local.get_month() + 1,
        local.get_date()
    )
}

/// The last second of the day a date input holds (`YYYY-MM-DD`), in the browser's time zone.
pub(crate) fn end_of_day(input: &str) -> Option<DateTime<Utc>> {
    let mut parts = input.trim().splitn(3, '-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: i32 = parts.next()?.parse().ok()?;
    let day: i32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let local = js_sys::Date::new_with_year_month_day_hr_min_sec(year, month - 1, day, 23, 59, 59);
    let millis = local.get_time();
    if !millis.is_finite() {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a finite date's milliseconds since 1970 fit in an i64"
    )]
    DateTime::from_timestamp_millis(millis as i64)
}

/// "1 day", "30 days".
pub(crate) fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}
