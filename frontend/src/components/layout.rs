//! The app shell: sidebar navigation, top bar with the theme switch, content area.

use leptos::prelude::*;
use leptos_router::components::A;

use pum_api_types::Permission;

use super::icons::Icon;
use crate::api;
use crate::state::{AuthState, Session, Theme, ThemeState};

/// One entry of the navigation. A new section is one more line in [`NAV`].
struct NavItem {
    href: &'static str,
    label: &'static str,
    icon: &'static str,
    /// Shown only to admins with this permission.
    permission: Option<Permission>,
}

/// Navigation groups, in order.
const NAV: &[(&str, &[NavItem])] = &[
    (
        "Overview",
        &[NavItem {
            href: "/",
            label: "Dashboard",
            icon: "dashboard",
            permission: None,
        }],
    ),
    (
        "People",
        &[
            NavItem {
                href: "/users",
                label: "Users",
                icon: "users",
                permission: Some(Permission::UsersView),
            },
            NavItem {
                href: "/invites",
                label: "Invites",
                icon: "ticket",
                permission: Some(Permission::InvitesView),
            },
        ],
    ),
    (
        "System",
        &[
            NavItem {
                href: "/settings",
                label: "Settings",
                icon: "settings",
                permission: Some(Permission::SettingsManage),
            },
            NavItem {
                href: "/admins",
                label: "Admins",
                icon: "admins",
                permission: Some(Permission::AdminsManage),
            },
            NavItem {
                href: "/api-keys",
                label: "API keys",
                icon: "key",
                permission: Some(Permission::ApiKeysManage),
            },
            NavItem {
                href: "/jobs",
                label: "Jobs",
                icon: "jobs",
                permission: None,
            },
        ],
    ),
];

/// The frame around every page.
#[component]
pub(crate) fn Shell(children: Children) -> impl IntoView {
    let (menu_open, set_menu_open) = signal(false);
    let auth = expect_context::<AuthState>();
    view! {
        <div class="shell" class:menu-open=menu_open>
            <aside class="sidebar" aria-label="Main navigation">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"P"</span>
                    <span class="brand-name">"Plex User Manager"</span>
                </a>
                <nav on:click=move |_| set_menu_open.set(false)>
                    {NAV
                        .iter()
                        .map(|(group, items)| {
                            view! {
                                <div class="nav-group">
                                    <div class="nav-group-title">{*group}</div>
                                    {items
                                        .iter()
                                        .filter(|item| item.permission.is_none_or(|p| auth.can(p)))
                                        .map(|item| {
                                            view! {
                                                <A href=item.href attr:class="nav-link">
                                                    <Icon name=item.icon />
                                                    <span>{item.label}</span>
                                                </A>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            }
                        })
                        .collect_view()}
                    <div class="nav-group">
                        <div class="nav-group-title">"Developers"</div>
                        <a class="nav-link" href="/api/docs/" rel="external">
                            <Icon name="docs" />
                            <span>"API docs"</span>
                        </a>
                    </div>
                </nav>
            </aside>
            <div
                class="scrim"
                on:click=move |_| set_menu_open.set(false)
                aria-hidden="true"
            ></div>
            <div class="main">
                <header class="topbar">
                    <button
                        class="icon-button menu-button"
                        aria-label="Open navigation"
                        on:click=move |_| set_menu_open.update(|open| *open = !*open)
                    >
                        <Icon name="menu" />
                    </button>
                    <div class="topbar-spacer"></div>
                    <UserMenu />
                    <ThemeToggle />
                </header>
                <main class="content">{children()}</main>
            </div>
        </div>
    }
}

/// Who is signed in, their account page, and signing out.
#[component]
fn UserMenu() -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let sign_out = Action::new_local(|(): &()| api::sign_out());
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            auth.session.set(Session::SignedOut);
        }
    });
    let name = move || match auth.session.get() {
        Session::SignedIn(me) => me.admin.username.clone(),
        _ => String::new(),
    };
    view! {
        <A href="/account" attr:class="user-link" attr:data-testid="account-link">
            {name}
        </A>
        <button class="button small" data-testid="sign-out" on:click=move |_| { sign_out.dispatch(()); }>
            "Sign out"
        </button>
    }
}

/// Switches between light and dark.
#[component]
fn ThemeToggle() -> impl IntoView {
    let state = expect_context::<ThemeState>();
    let label = move || match state.theme.get() {
        Theme::Light => "Switch to dark theme",
        Theme::Dark => "Switch to light theme",
    };
    view! {
        <button
            class="icon-button"
            data-testid="theme-toggle"
            aria-label=label
            title=label
            on:click=move |_| state.toggle()
        >
            {move || match state.theme.get() {
                Theme::Light => view! { <Icon name="moon" /> },
                Theme::Dark => view! { <Icon name="sun" /> },
            }}
        </button>
    }
}
