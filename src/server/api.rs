//! The JSON API under `/api`: extract → workflow step → response. Routers are merged per
//! concern; `openapi.rs` describes every route listed here.

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::limits::MAX_DATA_BYTES;
use crate::register::documents::{DocState, DocumentRow};
use crate::register::numbering::{self, ReserveRequest};
use crate::register::people::{Role, TokenKind, User};
use crate::register::{
    self, Actor, Book, NumberKey, Org, Year, audit, csv, incoming, outgoing, print,
};
use crate::sign::external;
use crate::verify::status::Lang;
use crate::workflow::auth::{self, Action};
use crate::workflow::receive::ReceiveRequest;
use crate::workflow::{IssueRequest, NewDraft, WorkflowError, blocking};

use super::AppState;
use super::MAX_UPLOAD_BYTES;
use super::error::ApiError;
use super::extract::{ApiJson, ApiUser, MaybeUser, read_body, token_of};

type ApiResult<T> = Result<T, ApiError>;

/// Every API route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/check", post(check))
        .route("/api/render", post(render))
        .route("/api/documents", get(list_documents).post(create_document))
        .route(
            "/api/documents/{id}",
            get(get_document).put(update_document),
        )
        .route("/api/documents/{id}/history", get(document_history))
        .route("/api/documents/{id}/files/{name}", get(document_file))
        .route("/api/documents/{id}/submit", post(submit_document))
        .route("/api/documents/{id}/return", post(return_document))
        .route("/api/documents/{id}/sign", post(sign_document))
        .route("/api/documents/{id}/sign/prepare", post(prepare_external))
        .route("/api/sign/complete", post(complete_external))
        .route("/api/documents/{id}/issue", post(issue_document))
        .route("/api/documents/{id}/deliver", post(deliver_document))
        .route("/api/documents/{id}/recall", post(recall_document))
        .route("/api/verify", post(verify_upload))
        .route("/api/incoming", post(receive_upload))
        .route("/api/register/next", post(register_next))
        .route("/api/register/void", post(register_void))
        .route("/api/register/outgoing", get(register_outgoing))
        .route("/api/register/incoming", get(register_incoming))
        .route("/api/audit", get(audit_entries))
        .route("/api/audit/verify", get(audit_verify))
}

async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let backend = format!("{:?}", state.workflow.register().backend()).to_lowercase();
    let head = audit::latest(state.workflow.register(), 1).await?;
    Ok(Json(json!({
        "status": "ok",
        "database": backend,
        "audit_seq": head.first().map_or(0, |r| r.seq),
        "version": env!("CARGO_PKG_VERSION"),
    })))
}

async fn openapi() -> Json<Value> {
    Json(super::openapi::document())
}

// ----- sessions -----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    user: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Json<Value>> {
    let (token, user) = auth::login(
        state.workflow.register(),
        &body.user,
        &body.password,
        TokenKind::Api,
        OffsetDateTime::now_utc(),
    )
    .await?;
    Ok(Json(json!({"token": token, "user": user_json(&user)})))
}

async fn logout(State(state): State<AppState>, request: Request) -> ApiResult<StatusCode> {
    let (parts, _) = request.into_parts();
    if let Some(token) = token_of(&parts) {
        auth::logout(state.workflow.register(), &token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn me(ApiUser(user): ApiUser) -> Json<Value> {
    Json(user_json(&user))
}

/// A user as the API shows it.
pub fn user_json(user: &User) -> Value {
    json!({
        "user": user.name,
        "display_name": user.display_name,
        "role": user.role.code(),
        "org": user.org,
    })
}

// ----- compose -----

#[derive(Debug, Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

/// `yaml` or `json` from the Content-Type.
fn data_format(headers: &HeaderMap) -> &'static str {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if json { "json" } else { "yaml" }
}

async fn check(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<Value>> {
    let bytes = read_body(body, MAX_DATA_BYTES).await?;
    let format = data_format(&headers).to_owned();
    let sources = state.workflow.sources();
    let draft =
        blocking(move || crate::workflow::draft::Draft::read(&bytes, &format, &sources)).await?;
    let problems: Vec<Value> = draft
        .findings
        .0
        .iter()
        .map(|d| serde_json::to_value(d).unwrap_or_default())
        .collect();
    Ok(Json(json!({
        "errors": draft.findings.0.iter().filter(|d| d.is_error()).count(),
        "warnings": draft.findings.0.iter().filter(|d| !d.is_error()).count(),
        "problems": problems,
        "kind": draft.document.kind.key,
        "title": draft.title(),
    })))
}

async fn render(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    Query(query): Query<FormatQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let bytes = read_body(body, MAX_DATA_BYTES).await?;
    let format = data_format(&headers).to_owned();
    let docx = match query.format.as_deref() {
        None | Some("pdf") => false,
        Some("docx") => true,
        Some(other) => {
            return Err(ApiError::field(
                "format",
                format!("không biết định dạng {other}: dùng pdf hoặc docx"),
            ));
        }
    };
    let sources = state.workflow.sources();
    let _permit = state.heavy.acquire().await.map_err(internal)?;
    let out = blocking(move || {
        let draft = crate::workflow::draft::Draft::read(&bytes, &format, &sources)?;
        if docx {
            draft.docx(None)
        } else {
            draft.draft_pdf()
        }
    })
    .await?;
    Ok(file_response(
        out,
        if docx {
            "document.docx"
        } else {
            "document.pdf"
        },
    ))
}

// ----- documents -----

/// A document as the API shows it.
pub fn document_json(row: &DocumentRow) -> Value {
    json!({
        "id": row.id,
        "org": row.org,
        "kind": row.kind,
        "title": row.title,
        "state": row.state.code(),
        "state_vi": row.state.word(),
        "version": row.version,
        "drafter": row.drafter,
        "signer": row.signer,
        "number": row.number_symbol,
        "number_key": row.number.as_ref().map(ToString::to_string),
        "issued_on": row.issued_on,
        "note": row.note,
        "corrects": row.corrects,
        "source_sha256": row.source_sha256.hex(),
        "draft_sha256": row.draft_sha256.map(|d| d.hex()),
        "signed_sha256": row.signed_sha256.map(|d| d.hex()),
        "issued_sha256": row.issued_sha256.map(|d| d.hex()),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    })
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    state: Option<String>,
    limit: Option<i64>,
}

async fn list_documents(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let states = parse_states(query.state.as_deref())?;
    let rows = state
        .workflow
        .documents(&user, &states, query.limit.unwrap_or(100))
        .await?;
    Ok(Json(
        json!({"documents": rows.iter().map(document_json).collect::<Vec<_>>()}),
    ))
}

/// `draft,submitted` → states.
pub fn parse_states(text: Option<&str>) -> ApiResult<Vec<DocState>> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(|code| {
            DocState::from_code(code.trim())
                .ok_or_else(|| ApiError::field("state", format!("trạng thái không biết: {code}")))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftBody {
    /// YAML or JSON text of the document.
    source: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    corrects: Option<String>,
    #[serde(default)]
    version: Option<i64>,
}

impl DraftBody {
    fn new_draft(self) -> NewDraft {
        let format = self.format.unwrap_or_else(|| {
            if self.source.trim_start().starts_with('{') {
                "json".into()
            } else {
                "yaml".into()
            }
        });
        NewDraft {
            source: self.source.into_bytes(),
            format,
            corrects: self.corrects,
        }
    }
}

async fn create_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<DraftBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let row = state
        .workflow
        .create_draft(&user, body.new_draft(), OffsetDateTime::now_utc())
        .await?;
    Ok((StatusCode::CREATED, Json(document_json(&row))))
}

async fn get_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let row = state.workflow.document(&user, &id).await?;
    let draft = state.workflow.draft_of(&row).await?;
    let mut value = document_json(&row);
    value["problems"] = json!(
        draft
            .findings
            .0
            .iter()
            .map(|d| serde_json::to_value(d).unwrap_or_default())
            .collect::<Vec<_>>()
    );
    Ok(Json(value))
}

async fn update_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DraftBody>,
) -> ApiResult<Json<Value>> {
    let version = body
        .version
        .ok_or_else(|| ApiError::field("version", "cần phiên bản đã đọc"))?;
    let row = state
        .workflow
        .update_draft(
            &user,
            &id,
            version,
            body.new_draft(),
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Json(document_json(&row)))
}

async fn document_history(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let records = state.workflow.history(&user, &id).await?;
    Ok(Json(
        json!({"history": records.iter().map(audit_json).collect::<Vec<_>>()}),
    ))
}

/// The files a document has: `source`, `preview.pdf` (the current data typeset), `draft.pdf`, `signed.pdf`, `issued.pdf`, `document.docx`.
pub async fn document_file_bytes(
    state: &AppState,
    user: &User,
    id: &str,
    name: &str,
) -> ApiResult<(Vec<u8>, String)> {
    let pick: fn(&DocumentRow) -> Option<register::Sha256> = match name {
        "source" => |r| Some(r.source_sha256),
        "draft.pdf" => |r| r.draft_sha256,
        "signed.pdf" => |r| r.signed_sha256,
        "issued.pdf" => |r| r.issued_sha256,
        "preview.pdf" => {
            let row = state.workflow.document(user, id).await?;
            let draft = state.workflow.draft_of(&row).await?;
            let bytes = blocking(move || draft.draft_pdf()).await?;
            return Ok((bytes, format!("{}.preview.pdf", file_stem(&row))));
        }
        "document.docx" => {
            let row = state.workflow.document(user, id).await?;
            let draft = state.workflow.draft_of(&row).await?;
            let issue = issue_of(&row);
            let bytes = blocking(move || draft.docx(issue.as_ref())).await?;
            return Ok((bytes, format!("{}.docx", file_stem(&row))));
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("không có tệp {name}"),
            ));
        }
    };
    let (row, bytes) = state.workflow.file(user, id, pick).await?;
    let file_name = if name == "source" {
        format!("{}.{}", file_stem(&row), row.source_format)
    } else {
        format!("{}.{name}", file_stem(&row))
    };
    Ok((bytes, file_name))
}

fn issue_of(row: &DocumentRow) -> Option<crate::sign::fill::Issue> {
    let number = row.number.as_ref()?.number;
    let date = row.issued_on.as_deref().and_then(register::parse_date)?;
    Some(crate::sign::fill::Issue { number, date })
}

fn file_stem(row: &DocumentRow) -> String {
    match &row.number_symbol {
        Some(symbol) => symbol.replace('/', "_"),
        None => row.id.clone(),
    }
}

async fn document_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (bytes, file_name) = document_file_bytes(&state, &user, &id, &name).await?;
    Ok(file_response(bytes, &file_name))
}

/// A file download with its content type from the name.
pub fn file_response(bytes: Vec<u8>, name: &str) -> Response {
    let content_type = if name.ends_with(".pdf") {
        "application/pdf"
    } else if name.ends_with(".docx") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else if name.ends_with(".json") {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!("inline; filename=\"{ascii}\"");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepBody {
    version: i64,
    #[serde(default)]
    pin: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    receipt: Option<String>,
    #[serde(default)]
    certificate: Option<String>,
}

fn required<'a>(value: &'a Option<String>, field: &str) -> ApiResult<&'a str> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::field(field, "cần điền"))
}

async fn submit_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<Value>> {
    let row = state
        .workflow
        .submit(&user, &id, body.version, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(document_json(&row)))
}

async fn return_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<Value>> {
    let note = required(&body.note, "note")?;
    let row = state
        .workflow
        .return_document(&user, &id, body.version, note, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(document_json(&row)))
}

async fn sign_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<Value>> {
    let pin = required(&body.pin, "pin")?;
    let _permit = state.heavy.acquire().await.map_err(internal)?;
    let row = state
        .workflow
        .sign(&user, &id, body.version, pin, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(document_json(&row)))
}

async fn prepare_external(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<Value>> {
    let certificate = required(&body.certificate, "certificate")?;
    let prepared = state
        .workflow
        .prepare_external(
            &user,
            &id,
            body.version,
            certificate,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Json(serde_json::to_value(prepared).map_err(internal)?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompleteBody {
    handle: String,
    /// The signature value, hex or base64.
    signature: String,
    #[serde(default)]
    chain: Option<String>,
}

async fn complete_external(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<CompleteBody>,
) -> ApiResult<Json<Value>> {
    let signature = decode_signature(&body.signature)?;
    let row = state
        .workflow
        .complete_external(
            &user,
            &body.handle,
            signature,
            body.chain.as_deref(),
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Json(document_json(&row)))
}

/// A signature value as hex or standard base64 (what CSC signHash returns).
fn decode_signature(text: &str) -> ApiResult<Vec<u8>> {
    let text = text.trim();
    if let Some(bytes) = external::unhex(text) {
        return Ok(bytes);
    }
    use base64ct::Encoding;
    base64ct::Base64::decode_vec(text)
        .map_err(|_| ApiError::field("signature", "không phải hex hay base64"))
}

async fn issue_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<Value>> {
    let pin = required(&body.pin, "pin")?.to_owned();
    let date = body.date.as_deref().map(parse_date).transpose()?;
    let _permit = state.heavy.acquire().await.map_err(internal)?;
    let row = state
        .workflow
        .issue(
            &user,
            &id,
            body.version,
            IssueRequest { pin, date },
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Json(document_json(&row)))
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> ApiResult<time::Date> {
    register::parse_date(text.trim()).ok_or_else(|| {
        ApiError::field(
            "date",
            format!("ngày không hợp lệ: {text} (cần YYYY-MM-DD)"),
        )
    })
}

async fn deliver_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<Value>> {
    let row = state
        .workflow
        .deliver(
            &user,
            &id,
            body.version,
            body.receipt.as_deref(),
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Json(document_json(&row)))
}

async fn recall_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<Value>> {
    let note = required(&body.note, "note")?;
    let row = state
        .workflow
        .recall(&user, &id, body.version, note, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(document_json(&row)))
}

// ----- verify and receive -----

#[derive(Debug, Default, Deserialize)]
struct VerifyQuery {
    lang: Option<String>,
    name: Option<String>,
}

fn lang_of(text: Option<&str>) -> Lang {
    if text == Some("en") {
        Lang::En
    } else {
        Lang::Vi
    }
}

/// Check that an upload is a PDF or a DOCX before anything reads it.
pub fn check_upload(bytes: &[u8], headers: &HeaderMap) -> ApiResult<()> {
    let declared = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let pdf = bytes.starts_with(b"%PDF-") || bytes.windows(5).take(1024).any(|w| w == b"%PDF-");
    let docx = bytes.starts_with(b"PK\x03\x04");
    if bytes.is_empty() {
        return Err(ApiError::field("file", "tệp rỗng"));
    }
    if !pdf && !docx {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "chỉ nhận PDF hoặc DOCX (nhận được {} byte, Content-Type “{declared}”)",
                bytes.len()
            ),
        ));
    }
    Ok(())
}

async fn verify_upload(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<VerifyQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let _permit = state.heavy.acquire().await.map_err(internal)?;
    let bytes = read_body(body, MAX_UPLOAD_BYTES).await?;
    check_upload(&bytes, &headers)?;
    let name = query.name.unwrap_or_else(|| "upload.pdf".to_owned());
    let outcome = state
        .workflow
        .verify(
            &name,
            bytes,
            lang_of(query.lang.as_deref()),
            user.as_ref(),
            OffsetDateTime::now_utc(),
        )
        .await?;
    // 200 whatever the verdict: the request succeeded, the report says whether the file passes.
    let status = StatusCode::OK;
    Ok((status, Json(outcome.json)).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct ReceiveQuery {
    book: Option<String>,
    sender: Option<String>,
    number_symbol: Option<String>,
    document_date: Option<String>,
    summary: Option<String>,
    name: Option<String>,
}

async fn receive_upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<ReceiveQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let _permit = state.heavy.acquire().await.map_err(internal)?;
    let bytes = read_body(body, MAX_UPLOAD_BYTES).await?;
    check_upload(&bytes, &headers)?;
    let request = ReceiveRequest {
        book: query.book,
        sender: query.sender,
        number_symbol: query.number_symbol,
        document_date: query.document_date.as_deref().map(parse_date).transpose()?,
        summary: query.summary,
    };
    let name = query.name.unwrap_or_else(|| "received.pdf".to_owned());
    let (entry, outcome) = state
        .workflow
        .receive(&user, &name, bytes, request, OffsetDateTime::now_utc())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "incoming_number": entry.key.word(),
            "incoming_key": entry.key.to_string(),
            "sender": entry.receipt.sender,
            "number_symbol": entry.receipt.number_symbol,
            "verdict": outcome.verdict,
            "report": outcome.json,
        })),
    ))
}

// ----- register -----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NextBody {
    book: String,
    #[serde(default)]
    year: Option<i64>,
    #[serde(default)]
    count: Option<u32>,
}

async fn register_next(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NextBody>,
) -> ApiResult<Json<Value>> {
    let at = OffsetDateTime::now_utc();
    let register = state.workflow.register();
    auth::authorize(
        register,
        &user,
        Action::NumberNext,
        Some(&user.org),
        "register",
        at,
    )
    .await?;
    let year = match body.year {
        Some(year) => Year::new(year)?,
        None => Year::of(at.to_offset(crate::sign::workflow::vietnam()).date())?,
    };
    let count = body.count.unwrap_or(1).clamp(1, 100);
    let request = ReserveRequest {
        org: Org::new(&user.org)?,
        book: Book::new(&body.book)?,
        year,
        actor: Actor::new(&user.name)?,
        at,
    };
    let mut numbers = Vec::new();
    for _ in 0..count {
        let reserved = numbering::reserve(register, &request).await?;
        numbers.push(json!({"number": reserved.key.number, "word": reserved.key.word(), "key": reserved.key.to_string()}));
    }
    Ok(Json(json!({"numbers": numbers})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidBody {
    book: String,
    year: i64,
    number: u32,
    reason: String,
}

async fn register_void(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<VoidBody>,
) -> ApiResult<StatusCode> {
    let at = OffsetDateTime::now_utc();
    let register = state.workflow.register();
    auth::authorize(
        register,
        &user,
        Action::VoidNumber,
        Some(&user.org),
        "register",
        at,
    )
    .await?;
    let key = NumberKey {
        org: Org::new(&user.org)?,
        book: Book::new(&body.book)?,
        year: Year::new(body.year)?,
        number: body.number,
    };
    numbering::void(register, &key, &body.reason, &Actor::new(&user.name)?, at).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct RegisterQuery {
    year: Option<i64>,
    format: Option<String>,
    org: Option<String>,
}

/// The organisation and year a register query is about (an admin may name any organisation).
pub async fn register_scope(
    state: &AppState,
    user: &User,
    org: Option<&str>,
    year: Option<i64>,
) -> ApiResult<(Org, Year)> {
    let at = OffsetDateTime::now_utc();
    let org = match org {
        Some(org) if user.role == Role::Admin => org.to_owned(),
        _ => user.org.clone(),
    };
    auth::authorize(
        state.workflow.register(),
        user,
        Action::ReadRegister,
        Some(&org),
        "register",
        at,
    )
    .await?;
    let year = match year {
        Some(year) => Year::new(year)?,
        None => Year::of(at.to_offset(crate::sign::workflow::vietnam()).date())?,
    };
    Ok((Org::new(&org)?, year))
}

async fn register_outgoing(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<RegisterQuery>,
) -> ApiResult<Response> {
    let (org, year) = register_scope(&state, &user, query.org.as_deref(), query.year).await?;
    let register = state.workflow.register();
    let numbers = numbering::numbers(register, &org, year).await?;
    let entries = outgoing::entries(register, &org, year).await?;
    let name = format!("so-di-{}-{year}", org.as_str());
    match query.format.as_deref().unwrap_or("json") {
        "csv" => Ok(file_response(
            csv::outgoing(&numbers, &entries).into_bytes(),
            &format!("{name}.csv"),
        )),
        "pdf" => {
            let cover = print::Cover::plain(&org);
            let bytes = blocking(move || {
                print::outgoing_pdf(
                    &cover,
                    &org,
                    year,
                    &numbers,
                    &entries,
                    OffsetDateTime::now_utc(),
                )
                .map(|out| out.bytes)
                .map_err(|e| WorkflowError::Render(e.to_string()))
            })
            .await?;
            Ok(file_response(bytes, &format!("{name}.pdf")))
        }
        "json" => Ok(Json(outgoing_json(&numbers, &entries)).into_response()),
        other => Err(ApiError::field(
            "format",
            format!("không biết định dạng {other}: json, csv, pdf"),
        )),
    }
}

/// The outgoing register as JSON: every number with its state, and the 10 columns once issued.
pub fn outgoing_json(
    numbers: &[numbering::NumberRecord],
    entries: &[outgoing::OutgoingEntry],
) -> Value {
    let rows: Vec<Value> = numbers
        .iter()
        .map(|record| {
            let entry = entries.iter().find(|e| e.key == record.key);
            json!({
                "book": record.key.book.as_str(),
                "number": record.key.number,
                "state": record.state.code(),
                "void_reason": record.void_reason,
                "number_symbol": entry.map(|e| e.number_symbol()),
                "document_date": entry.map(|e| register::date_text(e.document_date)),
                "type_and_summary": entry.map(|e| e.type_and_summary.clone()),
                "signer": entry.map(|e| e.signer.clone()),
                "recipients": entry.map(|e| e.recipients.clone()),
                "archive_holder": entry.map(|e| e.archive_holder.clone()),
                "copies": entry.map(|e| e.copies),
                "delivered_on": entry.and_then(|e| e.delivered_on).map(register::date_text),
                "receipt": entry.and_then(|e| e.receipt.clone()),
                "note": entry.and_then(|e| e.note.clone()),
                "file_sha256": entry.map(|e| e.file_sha256.hex()),
                "document_id": entry.map(|e| e.document_id.clone()),
            })
        })
        .collect();
    json!({"columns": outgoing::DECREE_COLUMNS, "rows": rows})
}

async fn register_incoming(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<RegisterQuery>,
) -> ApiResult<Response> {
    let (org, year) = register_scope(&state, &user, query.org.as_deref(), query.year).await?;
    let entries = incoming::entries(state.workflow.register(), &org, year).await?;
    let name = format!("so-den-{}-{year}", org.as_str());
    match query.format.as_deref().unwrap_or("json") {
        "csv" => Ok(file_response(
            csv::incoming(&entries).into_bytes(),
            &format!("{name}.csv"),
        )),
        "pdf" => {
            let cover = print::Cover::plain(&org);
            let bytes = blocking(move || {
                print::incoming_pdf(&cover, &org, year, &entries, OffsetDateTime::now_utc())
                    .map(|out| out.bytes)
                    .map_err(|e| WorkflowError::Render(e.to_string()))
            })
            .await?;
            Ok(file_response(bytes, &format!("{name}.pdf")))
        }
        "json" => Ok(Json(incoming_json(&entries)).into_response()),
        other => Err(ApiError::field(
            "format",
            format!("không biết định dạng {other}: json, csv, pdf"),
        )),
    }
}

/// The incoming register as JSON.
pub fn incoming_json(entries: &[incoming::IncomingEntry]) -> Value {
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "book": e.key.book.as_str(),
                "number": e.key.number,
                "received_on": register::date_text(e.receipt.received_on),
                "sender": e.receipt.sender,
                "number_symbol": e.receipt.number_symbol,
                "document_date": e.receipt.document_date.map(register::date_text),
                "summary": e.receipt.summary,
                "verdict": e.receipt.verdict,
                "file_sha256": e.receipt.file_sha256.hex(),
                "recorded_by": e.recorded_by,
            })
        })
        .collect();
    json!({"columns": incoming::COLUMNS, "rows": rows})
}

// ----- audit -----

#[derive(Debug, Deserialize)]
struct AuditQuery {
    after: Option<i64>,
    limit: Option<i64>,
}

/// An audit row as the API shows it.
pub fn audit_json(record: &audit::AuditRecord) -> Value {
    json!({
        "seq": record.seq,
        "at": record.at,
        "actor": record.actor,
        "action": record.action,
        "subject": record.subject,
        "details": serde_json::from_str::<Value>(&record.details).unwrap_or(Value::Null),
        "hash": record.hash,
    })
}

async fn audit_entries(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Value>> {
    let register = state.workflow.register();
    auth::authorize(
        register,
        &user,
        Action::ReadAudit,
        None,
        "audit",
        OffsetDateTime::now_utc(),
    )
    .await?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let records = audit::entries(register, query.after.unwrap_or(0), limit).await?;
    Ok(Json(
        json!({"entries": records.iter().map(audit_json).collect::<Vec<_>>()}),
    ))
}

/// The chain check as JSON.
#[derive(Debug, Serialize)]
struct ChainJson {
    intact: bool,
    entries: u64,
    head_seq: i64,
    head_hash: String,
    broken: Option<String>,
}

async fn audit_verify(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Value>> {
    let register = state.workflow.register();
    auth::authorize(
        register,
        &user,
        Action::ReadAudit,
        None,
        "audit",
        OffsetDateTime::now_utc(),
    )
    .await?;
    let report = audit::verify(register).await?;
    let chain = ChainJson {
        intact: report.broken.is_none(),
        entries: report.entries,
        head_seq: report.head_seq,
        head_hash: report.head_hash,
        broken: report.broken.map(|b| b.to_string()),
    };
    Ok(Json(serde_json::to_value(chain).map_err(internal)?))
}

fn internal(error: impl std::fmt::Display) -> ApiError {
    ApiError::from(WorkflowError::Internal(error.to_string()))
}
