//! One file per subcommand: each turns parsed arguments into an exit code.
pub mod apply;
pub mod completions;
pub mod config_file;
pub mod enrollments;
pub mod export;
pub mod man;
pub mod plan;
pub mod planning;
pub mod schema;
pub mod stdout;
pub mod step_summary;
pub mod target;
pub mod user_session;
pub mod users;
pub mod users_import;
pub mod validate;
