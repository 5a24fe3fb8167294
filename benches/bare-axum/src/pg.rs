//! The baseline for `benches/service-pg.sh`: the generated fintech service's customer read,
//! customer create and transfer, on the same PostgreSQL schema (its own migrations), written
//! the shortest way axum allows. No tracing, request ids, security headers, metrics, limits,
//! auth, idempotency keys, fraud rules, audit events or outbox events: the caller is the user
//! in `BENCH_USER_ID`, and a transfer is one transaction with the ledger writes only.

use std::process::ExitCode;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

#[derive(Clone)]
struct AppState {
    pool: PgPool,
    user_id: Uuid,
}

type CustomerRow = (
    Uuid,
    Uuid,
    String,
    String,
    bool,
    OffsetDateTime,
    OffsetDateTime,
    i64,
);

#[derive(Deserialize)]
struct NewCustomer {
    name: String,
    email: String,
    #[serde(default)]
    vip: bool,
}

#[derive(Deserialize)]
struct NewTransfer {
    source_account_id: Uuid,
    destination_account_id: Uuid,
    amount: i64,
    currency: String,
    description: Option<String>,
}

fn internal<E>(_: E) -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

fn rfc3339(at: OffsetDateTime) -> Result<String, StatusCode> {
    at.format(&Rfc3339).map_err(internal)
}

fn customer_json(row: CustomerRow) -> Result<Json<Value>, StatusCode> {
    let (id, owner_id, name, email, vip, created_at, updated_at, version) = row;
    Ok(Json(json!({
        "id": id, "owner_id": owner_id, "name": name, "email": email, "vip": vip,
        "created_at": rfc3339(created_at)?, "updated_at": rfc3339(updated_at)?, "version": version,
    })))
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The generated repository's `find`: the same SELECT by primary key.
async fn customer(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Value>, StatusCode> {
    let row = sqlx::query_as::<_, CustomerRow>(
        "SELECT id, owner_id, name, email, vip, created_at, updated_at, version \
         FROM customers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await
    .map_err(internal)?;
    customer_json(row.ok_or(StatusCode::NOT_FOUND)?)
}

/// The generated repository's `insert`: the same columns, a time-ordered id.
async fn create_customer(
    State(state): State<AppState>,
    Json(new): Json<NewCustomer>,
) -> Result<(StatusCode, Json<Value>), StatusCode> {
    let length = new.name.chars().count();
    if !(1..=80).contains(&length) || new.email.chars().count() > 255 {
        return Err(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let now = OffsetDateTime::now_utc();
    let row: CustomerRow = (
        Uuid::now_v7(),
        state.user_id,
        new.name,
        new.email,
        new.vip,
        now,
        now,
        1,
    );
    sqlx::query(
        "INSERT INTO customers (id, owner_id, name, email, vip, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(row.0)
    .bind(row.1)
    .bind(&row.2)
    .bind(&row.3)
    .bind(row.4)
    .bind(row.5)
    .bind(row.6)
    .bind(row.7)
    .execute(&state.pool)
    .await
    .map_err(|err| match err.as_database_error() {
        Some(db) if db.is_unique_violation() => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    })?;
    Ok((StatusCode::CREATED, customer_json(row)?))
}

/// The ledger writes of a generated transfer, in its order and one transaction: both
/// accounts locked in id order, the funds checked, the transfer row, two postings each with
/// its balance update, then the journal entry (whose trigger checks that it balances).
async fn transfer(
    State(state): State<AppState>,
    Json(new): Json<NewTransfer>,
) -> Result<(StatusCode, Json<Value>), StatusCode> {
    let (source_id, destination_id) = (new.source_account_id, new.destination_account_id);
    if new.amount <= 0 || source_id == destination_id {
        return Err(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut tx = state.pool.begin().await.map_err(internal)?;
    let mut ids = [source_id, destination_id];
    ids.sort();
    let mut source = None;
    let mut destination = None;
    for id in ids {
        let row: Option<(Option<Uuid>, String, String, i64)> = sqlx::query_as(
            "SELECT owner_id, currency, status, balance FROM accounts WHERE id = $1 FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        if id == source_id {
            source = row;
        } else {
            destination = row;
        }
    }
    let (Some(source), Some(destination)) = (source, destination) else {
        return Err(StatusCode::NOT_FOUND);
    };
    let usable = |account: &(Option<Uuid>, String, String, i64)| {
        account.1 == new.currency && account.2 == "active"
    };
    if source.0 != Some(state.user_id) || !usable(&source) || !usable(&destination) {
        return Err(StatusCode::UNPROCESSABLE_ENTITY);
    }
    if source.3 < new.amount {
        return Err(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let now = OffsetDateTime::now_utc();
    let (transfer_id, entry_id) = (Uuid::now_v7(), Uuid::now_v7());
    sqlx::query(
        "INSERT INTO transfers (id, owner_id, source_account_id, destination_account_id, amount, \
         currency, description, status, fraud_decision, fraud_reasons, entry_id, reviewed_by, \
         reviewed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'completed', 'allow', '[]', $8, NULL, NULL, $9, $9)",
    )
    .bind(transfer_id)
    .bind(state.user_id)
    .bind(source_id)
    .bind(destination_id)
    .bind(new.amount)
    .bind(&new.currency)
    .bind(&new.description)
    .bind(entry_id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    let postings = [
        (source_id, -new.amount, source.3 - new.amount),
        (destination_id, new.amount, destination.3 + new.amount),
    ];
    for (account_id, amount, balance_after) in postings {
        sqlx::query(
            "INSERT INTO postings (id, entry_id, account_id, amount, currency, balance_after, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(entry_id)
        .bind(account_id)
        .bind(amount)
        .bind(&new.currency)
        .bind(balance_after)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        sqlx::query("UPDATE accounts SET balance = balance + $1, updated_at = $2 WHERE id = $3")
            .bind(amount)
            .bind(now)
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
    }
    sqlx::query(
        "INSERT INTO journal_entries (id, kind, transfer_id, created_at) VALUES ($1, 'transfer', $2, $3)",
    )
    .bind(entry_id)
    .bind(transfer_id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    let at = rfc3339(now)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": transfer_id, "owner_id": state.user_id,
            "source_account_id": source_id, "destination_account_id": destination_id,
            "amount": new.amount, "currency": new.currency, "description": new.description,
            "status": "completed", "fraud": { "decision": "allow", "reasons": [] },
            "entry_id": entry_id, "created_at": at, "updated_at": at,
        })),
    ))
}

async fn run() -> Result<(), String> {
    let port = bare_axum::port()?;
    let user_id = Uuid::parse_str(&bare_axum::env("BENCH_USER_ID")?)
        .map_err(|_| "BENCH_USER_ID is not a UUID".to_string())?;
    // The generated service's default pool size (DATABASE_POOL_MAX).
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .connect(&bare_axum::env("DATABASE_URL")?)
        .await
        .map_err(|err| format!("cannot open the database: {err}"))?;
    let app = Router::new()
        .route("/health", get(health))
        .route("/v1/customers", post(create_customer))
        .route("/v1/customers/{id}", get(customer))
        .route("/v1/transfers", post(transfer))
        .with_state(AppState { pool, user_id });
    bare_axum::serve(app, port).await
}

#[tokio::main]
async fn main() -> ExitCode {
    bare_axum::exit_code("bare-axum-pg", run().await)
}
