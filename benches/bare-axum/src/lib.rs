//! What the two baselines share, so that each binary holds only its routes: reading the
//! environment, serving on 127.0.0.1, and turning a startup error into a message.

use std::process::ExitCode;

use axum::Router;

/// An environment variable the baseline cannot start without.
pub fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

/// The port in `PORT`.
pub fn port() -> Result<u16, String> {
    env("PORT")?
        .parse()
        .map_err(|_| "PORT is not a port number".to_string())
}

/// Serves `app` on 127.0.0.1:`port` until the process is stopped.
pub async fn serve(app: Router, port: u16) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|err| format!("cannot listen on port {port}: {err}"))?;
    axum::serve(listener, app)
        .await
        .map_err(|err| format!("server stopped: {err}"))
}

/// The process's exit code for `outcome`, printing the error under the binary's `name`.
pub fn exit_code(name: &str, outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{name}: {message}");
            ExitCode::FAILURE
        }
    }
}
