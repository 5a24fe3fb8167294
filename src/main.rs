use std::process::ExitCode;

use bek_new::{Failure, cli::Cli};
use clap::Parser;

fn main() -> ExitCode {
    // clap exits 2 on usage errors and 0 for --help/--version.
    let cli = Cli::parse();
    match bek_new::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            match &failure {
                Failure::Invalid(message) => eprintln!("error: {message}"),
                Failure::Runtime(err) => eprintln!("error: {err:#}"),
                Failure::Interrupted => bek_new::interrupt::report(),
                // The report already listed the conflicting files.
                Failure::Conflicts => {}
            }
            ExitCode::from(failure.exit_code())
        }
    }
}
