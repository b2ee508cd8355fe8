//! The interactive inspector: a thin shell over the core and the jobs. `update` owns every state
//! change, views are pure, the event loop only moves messages and runs effects.

pub mod app_state;
pub mod cache_view;
pub mod clipboard;
pub mod effect;
mod event_loop;
pub mod keymap;
pub mod layout;
pub mod list_window;
pub mod message;
pub mod notice;
pub mod proxy_view;
pub mod scan;
pub mod task_log;
mod terminal_events;
pub mod terminal_session;
pub mod tree_view;
pub mod update;
pub mod view;

pub use event_loop::run;

#[cfg(test)]
mod tests;
