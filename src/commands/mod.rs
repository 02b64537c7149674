//! One file per subcommand: each turns parsed arguments into an exit code.
pub mod schema;
pub mod validate;
