//! The baseline for `benches/service.sh`: `GET /health` and a user looked up by id, written the
//! shortest way axum allows. No tracing, request ids, security headers, metrics, limits or
//! auth, so the difference to a generated service is what those layers cost.

use std::process::ExitCode;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

type UserRow = (Uuid, String, String, String, OffsetDateTime);

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn user(
    State(pool): State<SqlitePool>,
    Path(id): Path<Uuid>,
) -> Result<Json<Value>, StatusCode> {
    let row = sqlx::query_as::<_, UserRow>(
        "SELECT id, email, name, role, created_at FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&pool)
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let (id, email, name, role, created_at) = row.ok_or(StatusCode::NOT_FOUND)?;
    let created_at = created_at
        .format(&Rfc3339)
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(json!({
        "id": id, "email": email, "name": name, "role": role, "created_at": created_at,
    })))
}

async fn run() -> Result<(), String> {
    let port = bare_axum::port()?;
    let url = bare_axum::env("DATABASE_URL")?;
    let pool = SqlitePool::connect(&url)
        .await
        .map_err(|err| format!("cannot open the database: {err}"))?;
    let app = Router::new()
        .route("/health", get(health))
        .route("/v1/me/{id}", get(user))
        .with_state(pool);
    bare_axum::serve(app, port).await
}

#[tokio::main]
async fn main() -> ExitCode {
    bare_axum::exit_code("bare-axum", run().await)
}
