//! The web pages: server-rendered HTML, Vietnamese first, one page per role's job.
//!
//! | page | who | what |
//! |---|---|---|
//! | `/login` | anyone | log in (a session cookie, `HttpOnly`, `SameSite=Strict`) |
//! | `/` | staff | the role's queue: drafts and returned (chuyên viên), to sign (lãnh đạo), to number and seal (văn thư) |
//! | `/compose` | chuyên viên | a form (kind, trích yếu, Kính gửi, body, Nơi nhận) or an uploaded YAML/JSON |
//! | `/documents/{id}` | staff | preview (PDF), format problems, history, the actions the role may take |
//! | `/register` | văn thư, lãnh đạo | sổ đi and sổ đến of the year, exports, logging a received file |
//! | `/verify` | anyone | drop a file, read the report, see page 1 with the signature boxes drawn |
//! | `/audit` | quản trị | the newest entries and the chain check |
//!
//! Pages call the same workflow steps as the JSON API; a refused step is shown on the page with
//! the workflow's message (and is in the audit log like any refusal). Templates live in
//! `templates/ui/` and are embedded; autoescaping is on for all of them.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::register::documents::{DocState, DocumentRow};
use crate::register::people::{Role, TokenKind, User};
use crate::register::{audit, incoming, outgoing};
use crate::verify::status::Lang;
use crate::workflow::auth::{self, Action};
use crate::workflow::receive::ReceiveRequest;
use crate::workflow::{IssueRequest, NewDraft};

use super::AppState;
use super::MAX_UPLOAD_BYTES;
use super::api::{self, audit_json, check_upload, document_json, parse_date};
use super::error::ApiError;
use super::extract::{MaybeUser, PageUser, SESSION_COOKIE};

mod picture;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/ui/base.html")),
    ("login.html", include_str!("../../templates/ui/login.html")),
    (
        "dashboard.html",
        include_str!("../../templates/ui/dashboard.html"),
    ),
    (
        "compose.html",
        include_str!("../../templates/ui/compose.html"),
    ),
    (
        "document.html",
        include_str!("../../templates/ui/document.html"),
    ),
    (
        "register.html",
        include_str!("../../templates/ui/register.html"),
    ),
    (
        "verify.html",
        include_str!("../../templates/ui/verify.html"),
    ),
    ("audit.html", include_str!("../../templates/ui/audit.html")),
    (
        "message.html",
        include_str!("../../templates/ui/message.html"),
    ),
];

/// The page templates.
#[derive(Debug)]
pub struct Pages {
    tera: tera::Tera,
}

impl Pages {
    /// The embedded templates.
    pub fn embedded() -> Result<Pages, String> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .map_err(|e| format!("templates/ui: {e}"))?;
        Ok(Pages { tera })
    }

    /// Render `name` with `context` (plus the user bar).
    pub fn render(&self, name: &str, user: Option<&User>, mut context: Value) -> Response {
        if let Value::Object(map) = &mut context {
            map.insert("me".into(), user.map(me_json).unwrap_or(Value::Null));
        }
        let rendered = tera::Context::from_serialize(&context)
            .and_then(|context| self.tera.render(name, &context));
        match rendered {
            Ok(html) => Html(html).into_response(),
            Err(error) => {
                tracing_error(&format!("page {name}: {error:?}"));
                (StatusCode::INTERNAL_SERVER_ERROR, "lỗi dựng trang").into_response()
            }
        }
    }

    /// A page saying what went wrong, with the error's status.
    pub fn error(&self, user: Option<&User>, error: ApiError) -> Response {
        let mut response = self.render(
            "message.html",
            user,
            json!({
                "title": "Không thực hiện được",
                "message": error.message,
                "field": error.field,
                "problems": error.problems,
            }),
        );
        *response.status_mut() = error.status;
        response
    }
}

fn tracing_error(message: &str) {
    eprintln!("vanban serve: {message}");
}

fn me_json(user: &User) -> Value {
    let mut value = api::user_json(user);
    value["role_word"] = json!(role_word(user.role));
    value["can_compose"] = json!(auth::allows(user.role, Action::Draft));
    value["can_register"] = json!(auth::allows(user.role, Action::ReadRegister));
    value["can_audit"] = json!(auth::allows(user.role, Action::ReadAudit));
    value
}

fn role_word(role: Role) -> &'static str {
    match role {
        Role::Admin => "quản trị",
        Role::Clerk => "văn thư",
        Role::Drafter => "chuyên viên",
        Role::Leader => "lãnh đạo",
    }
}

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/compose", get(compose_page).post(compose_submit))
        .route("/documents/{id}", get(document_page))
        .route("/documents/{id}/action", post(document_action))
        .route("/register", get(register_page))
        .route(
            "/register/incoming",
            post(register_incoming).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route(
            "/verify",
            get(verify_page)
                .post(verify_submit)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/audit", get(audit_page))
}

/// One of the heavy-work permits (see [`super::AppState::heavy`]).
async fn permit(state: &AppState) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
    state
        .heavy
        .acquire()
        .await
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", e.to_string()))
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

// ----- login -----

#[derive(Debug, Default, Deserialize)]
struct LoginForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
}

async fn login_page(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Response {
    if user.is_some() {
        return see_other("/");
    }
    state
        .pages
        .render("login.html", None, json!({"error": null}))
}

async fn login_submit(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let at = OffsetDateTime::now_utc();
    match auth::login(
        state.workflow.register(),
        form.user.trim(),
        &form.password,
        TokenKind::Session,
        at,
    )
    .await
    {
        Ok((token, _)) => {
            let secure = if state.secure_cookies { "; Secure" } else { "" };
            let cookie =
                format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}");
            let mut response = see_other("/");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(SET_COOKIE, value);
            }
            response
        }
        Err(error) => {
            let error = ApiError::from(error);
            let mut response = state.pages.render(
                "login.html",
                None,
                json!({"error": error.message, "user": form.user}),
            );
            *response.status_mut() = error.status;
            response
        }
    }
}

async fn logout(State(state): State<AppState>, PageUser(_, token): PageUser) -> Response {
    let _ = auth::logout(state.workflow.register(), &token).await;
    let mut response = see_other("/login");
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_static("vanban_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
}

// ----- dashboard -----

/// The states each role works on (its queue).
fn queue_states(role: Role) -> (&'static str, Vec<DocState>) {
    match role {
        Role::Drafter => (
            "Bản thảo và văn bản bị trả lại",
            vec![DocState::Draft, DocState::Returned],
        ),
        Role::Leader => ("Văn bản chờ ký", vec![DocState::Submitted]),
        Role::Clerk => (
            "Văn bản chờ cấp số, đóng dấu và ban hành",
            vec![DocState::Signed],
        ),
        Role::Admin => (
            "Văn bản đang xử lý",
            vec![DocState::Submitted, DocState::Signed],
        ),
    }
}

fn row_json(row: &DocumentRow) -> Value {
    let mut value = document_json(row);
    value["state_word"] = json!(row.state.word());
    value
}

async fn dashboard(State(state): State<AppState>, PageUser(user, _): PageUser) -> Response {
    let (queue_title, states) = queue_states(user.role);
    let queue = state.workflow.documents(&user, &states, 200).await;
    let recent = state.workflow.documents(&user, &[], 50).await;
    match (queue, recent) {
        (Ok(queue), Ok(recent)) => state.pages.render(
            "dashboard.html",
            Some(&user),
            json!({
                "queue_title": queue_title,
                "queue": queue.iter().map(row_json).collect::<Vec<_>>(),
                "recent": recent.iter().map(row_json).collect::<Vec<_>>(),
            }),
        ),
        (Err(error), _) | (_, Err(error)) => state.pages.error(Some(&user), error.into()),
    }
}

// ----- compose -----

fn kinds_json(state: &AppState) -> Vec<Value> {
    state
        .workflow
        .config()
        .templates
        .kinds()
        .iter()
        .map(|kind| {
            let name = if kind.name.is_empty() {
                "CÔNG VĂN".to_owned()
            } else {
                kind.name.clone()
            };
            json!({"key": kind.key, "name": name})
        })
        .collect()
}

async fn compose_page(State(state): State<AppState>, PageUser(user, _): PageUser) -> Response {
    state.pages.render(
        "compose.html",
        Some(&user),
        json!({"kinds": kinds_json(&state), "form": {}, "error": null, "problems": []}),
    )
}

/// The fields of the compose form (all text).
#[derive(Debug, Default, serde::Serialize)]
struct ComposeForm {
    kind: String,
    title: String,
    kinh_gui: String,
    opening: String,
    body: String,
    closing: String,
    recipients: String,
    source: String,
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The document data a filled form stands for (JSON; the organisation's profile supplies the
/// letterhead, the place and the usual signer).
fn form_source(form: &ComposeForm, org: &str) -> Value {
    let mut doc = json!({
        "kind": form.kind.trim(),
        "profile": org,
        "title": form.title.trim(),
        "body": lines_of(&form.body).into_iter().map(|text| json!({"kind": "para", "text": text})).collect::<Vec<_>>(),
        "recipients": lines_of(&form.recipients),
        "archive": {"units": ["VT"]},
    });
    let kinh_gui = lines_of(&form.kinh_gui);
    if !kinh_gui.is_empty() {
        doc["kinh_gui"] = json!(kinh_gui);
    }
    if !form.opening.trim().is_empty() {
        doc["opening"] = json!(form.opening.trim());
    }
    let closing = lines_of(&form.closing);
    if !closing.is_empty() {
        doc["closing"] = json!(
            closing
                .into_iter()
                .map(|text| json!({"kind": "para", "text": text}))
                .collect::<Vec<_>>()
        );
    }
    doc
}

async fn read_compose(
    multipart: &mut Multipart,
) -> Result<(ComposeForm, Option<(Vec<u8>, String)>), ApiError> {
    let mut form = ComposeForm::default();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::field("form", e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_lowercase();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::field("file", e.body_text()))?;
            if !bytes.is_empty() {
                let format = if file_name.ends_with(".json") {
                    "json"
                } else {
                    "yaml"
                };
                file = Some((bytes.to_vec(), format.to_owned()));
            }
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|e| ApiError::field(name.clone(), e.body_text()))?;
        let slot = match name.as_str() {
            "kind" => &mut form.kind,
            "title" => &mut form.title,
            "kinh_gui" => &mut form.kinh_gui,
            "opening" => &mut form.opening,
            "body" => &mut form.body,
            "closing" => &mut form.closing,
            "recipients" => &mut form.recipients,
            "source" => &mut form.source,
            _ => continue,
        };
        *slot = text;
    }
    Ok((form, file))
}

async fn compose_submit(
    State(state): State<AppState>,
    PageUser(user, _): PageUser,
    mut multipart: Multipart,
) -> Response {
    let (form, file) = match read_compose(&mut multipart).await {
        Ok(read) => read,
        Err(error) => return state.pages.error(Some(&user), error),
    };
    let new = match file {
        Some((source, format)) => NewDraft {
            source,
            format,
            corrects: None,
        },
        None if !form.source.trim().is_empty() => {
            let format = if form.source.trim_start().starts_with('{') {
                "json"
            } else {
                "yaml"
            };
            NewDraft {
                source: form.source.clone().into_bytes(),
                format: format.into(),
                corrects: None,
            }
        }
        None => {
            let source = form_source(&form, &user.org);
            NewDraft {
                source: serde_json::to_vec_pretty(&source).unwrap_or_default(),
                format: "json".into(),
                corrects: None,
            }
        }
    };
    match state
        .workflow
        .create_draft(&user, new, OffsetDateTime::now_utc())
        .await
    {
        Ok(row) => see_other(&format!("/documents/{}", row.id)),
        Err(error) => {
            let error = ApiError::from(error);
            let mut response = state.pages.render(
                "compose.html",
                Some(&user),
                json!({
                    "kinds": kinds_json(&state),
                    "form": form,
                    "error": error.message,
                    "field": error.field,
                    "problems": error.problems,
                }),
            );
            *response.status_mut() = error.status;
            response
        }
    }
}

// ----- one document -----

/// A format problem as the pages show it: where, what, and whether it blocks issuing.
fn problem_json(diagnostic: &crate::diag::Diagnostic) -> Value {
    json!({
        "error": diagnostic.is_error(),
        "code": diagnostic.code,
        "path": diagnostic.origin.to_string(),
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    })
}

/// The actions a role may take on a document in its state: (action, label, needs).
fn actions_for(user: &User, row: &DocumentRow) -> Vec<Value> {
    let mut out = Vec::new();
    let mut add = |action: &str, label: &str, needs: &str| {
        out.push(json!({"action": action, "label": label, "needs": needs}));
    };
    let mine = row.drafter == user.name;
    match (row.state, user.role) {
        (DocState::Draft | DocState::Returned, Role::Drafter) if mine => {
            add("submit", "Trình ký", "")
        }
        (DocState::Submitted, Role::Leader) => {
            add("sign", "Ký số", "pin");
            add("return", "Trả lại để sửa", "note");
        }
        (DocState::Signed, Role::Clerk) => {
            add(
                "issue",
                "Cấp số, ghi ngày, đóng dấu số và ban hành",
                "pin_date",
            );
            add("return", "Trả lại", "note");
        }
        (DocState::Issued, Role::Clerk) => {
            add("deliver", "Ghi đã chuyển", "");
            add("recall", "Thu hồi", "note");
        }
        (DocState::Delivered | DocState::Received, Role::Clerk | Role::Leader) => {
            add("recall", "Thu hồi", "note")
        }
        _ => {}
    }
    out
}

fn preview_name(row: &DocumentRow) -> &'static str {
    if row.issued_sha256.is_some() {
        "issued.pdf"
    } else if row.signed_sha256.is_some() {
        "signed.pdf"
    } else {
        "preview.pdf"
    }
}

/// What a finished step did, in words.
fn done_word(code: &str) -> &'static str {
    match code {
        "submitted" => "đã trình ký",
        "returned" => "đã trả lại để sửa",
        "signed" => "đã ký số",
        "issued" => "đã cấp số, ghi ngày, ký số của cơ quan và ban hành",
        "delivered" => "đã ghi chuyển",
        "recalled" => "đã thu hồi",
        _ => "xong",
    }
}

#[derive(Debug, Default, Deserialize)]
struct DocumentQuery {
    done: Option<String>,
}

async fn document_page(
    State(state): State<AppState>,
    PageUser(user, _): PageUser,
    Path(id): Path<String>,
    Query(query): Query<DocumentQuery>,
) -> Response {
    match document_context(&state, &user, &id).await {
        Ok(mut context) => {
            context["done"] = json!(query.done.as_deref().map(done_word));
            state.pages.render("document.html", Some(&user), context)
        }
        Err(error) => state.pages.error(Some(&user), error),
    }
}

async fn document_context(state: &AppState, user: &User, id: &str) -> Result<Value, ApiError> {
    let row = state.workflow.document(user, id).await?;
    let history = state.workflow.history(user, id).await?;
    let problems: Vec<Value> = match state.workflow.draft_of(&row).await {
        Ok(draft) => draft.findings.0.iter().map(problem_json).collect(),
        Err(error) => vec![json!({"error": true, "path": "", "message": error.to_string()})],
    };
    let files: Vec<&str> = [
        Some("source"),
        Some("preview.pdf"),
        row.draft_sha256.map(|_| "draft.pdf"),
        row.signed_sha256.map(|_| "signed.pdf"),
        row.issued_sha256.map(|_| "issued.pdf"),
        Some("document.docx"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(json!({
        "doc": row_json(&row),
        "preview": preview_name(&row),
        "files": files,
        "problems": problems,
        "history": history.iter().map(audit_json).collect::<Vec<_>>(),
        "actions": actions_for(user, &row),
        "today": OffsetDateTime::now_utc().to_offset(crate::sign::workflow::vietnam()).date().to_string(),
    }))
}

#[derive(Debug, Default, Deserialize)]
struct ActionForm {
    action: String,
    version: i64,
    #[serde(default)]
    pin: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    date: String,
}

fn filled<'a>(value: &'a str, field: &str) -> Result<&'a str, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::field(field, "cần điền"));
    }
    Ok(value)
}

async fn run_action(
    state: &AppState,
    user: &User,
    id: &str,
    form: &ActionForm,
) -> Result<&'static str, ApiError> {
    let at = OffsetDateTime::now_utc();
    let workflow = &state.workflow;
    let v = form.version;
    let done = match form.action.as_str() {
        "submit" => workflow
            .submit(user, id, v, at)
            .await
            .map(|_| "submitted")?,
        "return" => workflow
            .return_document(user, id, v, filled(&form.note, "note")?, at)
            .await
            .map(|_| "returned")?,
        "sign" => {
            let pin = filled(&form.pin, "pin")?;
            let _permit = permit(state).await?;
            workflow
                .sign(user, id, v, pin, at)
                .await
                .map(|_| "signed")?
        }
        "issue" => {
            let pin = filled(&form.pin, "pin")?.to_owned();
            let date = if form.date.trim().is_empty() {
                None
            } else {
                Some(parse_date(&form.date)?)
            };
            let _permit = permit(state).await?;
            workflow
                .issue(user, id, v, IssueRequest { pin, date }, at)
                .await
                .map(|_| "issued")?
        }
        "deliver" => workflow
            .deliver(user, id, v, None, at)
            .await
            .map(|_| "delivered")?,
        "recall" => workflow
            .recall(user, id, v, filled(&form.note, "note")?, at)
            .await
            .map(|_| "recalled")?,
        other => {
            return Err(ApiError::field(
                "action",
                format!("không có thao tác {other}"),
            ));
        }
    };
    Ok(done)
}

async fn document_action(
    State(state): State<AppState>,
    PageUser(user, _): PageUser,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    match run_action(&state, &user, &id, &form).await {
        Ok(done) => see_other(&format!("/documents/{id}?done={done}")),
        Err(error) => state.pages.error(Some(&user), error),
    }
}

// ----- registers -----

#[derive(Debug, Default, Deserialize)]
struct YearQuery {
    year: Option<i64>,
    received: Option<String>,
}

async fn register_page(
    State(state): State<AppState>,
    PageUser(user, _): PageUser,
    Query(query): Query<YearQuery>,
) -> Response {
    match register_context(&state, &user, query.year).await {
        Ok(mut context) => {
            context["received"] = json!(query.received);
            state.pages.render("register.html", Some(&user), context)
        }
        Err(error) => state.pages.error(Some(&user), error),
    }
}

async fn register_context(
    state: &AppState,
    user: &User,
    year: Option<i64>,
) -> Result<Value, ApiError> {
    let (org, year) = api::register_scope(state, user, None, year).await?;
    let register = state.workflow.register();
    let numbers = crate::register::numbering::numbers(register, &org, year).await?;
    let entries = outgoing::entries(register, &org, year).await?;
    let received = incoming::entries(register, &org, year).await?;
    Ok(json!({
        "year": year.value(),
        "org": org.as_str(),
        "outgoing": api::outgoing_json(&numbers, &entries),
        "incoming": api::incoming_json(&received),
    }))
}

async fn register_incoming(
    State(state): State<AppState>,
    PageUser(user, _): PageUser,
    mut multipart: Multipart,
) -> Response {
    match receive_form(&state, &user, &mut multipart).await {
        Ok(word) => see_other(&format!("/register?received={word}")),
        Err(error) => state.pages.error(Some(&user), error),
    }
}

async fn receive_form(
    state: &AppState,
    user: &User,
    multipart: &mut Multipart,
) -> Result<String, ApiError> {
    let _permit = permit(state).await?;
    let mut file: Option<(Vec<u8>, String)> = None;
    let mut request = ReceiveRequest {
        book: None,
        sender: None,
        number_symbol: None,
        document_date: None,
        summary: None,
    };
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::field("form", e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("received.pdf").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::field("file", e.body_text()))?;
            file = Some((bytes.to_vec(), file_name));
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|e| ApiError::field(name.clone(), e.body_text()))?;
        let text = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        match name.as_str() {
            "sender" => request.sender = text,
            "number_symbol" => request.number_symbol = text,
            "summary" => request.summary = text,
            "document_date" => {
                request.document_date = text.as_deref().map(parse_date).transpose()?
            }
            _ => {}
        }
    }
    let (bytes, name) = file.ok_or_else(|| ApiError::field("file", "chưa chọn tệp"))?;
    check_upload(&bytes, &Default::default())?;
    let (entry, _) = state
        .workflow
        .receive(user, &name, bytes, request, OffsetDateTime::now_utc())
        .await?;
    Ok(entry.key.word())
}

// ----- verify -----

async fn verify_page(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Response {
    state
        .pages
        .render("verify.html", user.as_ref(), json!({"report": null}))
}

async fn verify_submit(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    mut multipart: Multipart,
) -> Response {
    match verify_form(&state, user.as_ref(), &mut multipart).await {
        Ok(context) => state.pages.render("verify.html", user.as_ref(), context),
        Err(error) => {
            let mut response = state.pages.render(
                "verify.html",
                user.as_ref(),
                json!({"report": null, "error": error.message}),
            );
            *response.status_mut() = error.status;
            response
        }
    }
}

async fn verify_form(
    state: &AppState,
    user: Option<&User>,
    multipart: &mut Multipart,
) -> Result<Value, ApiError> {
    let _permit = permit(state).await?;
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::field("file", e.body_text()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload.pdf").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::field("file", e.body_text()))?;
            if bytes.len() > MAX_UPLOAD_BYTES {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "tệp quá lớn",
                ));
            }
            file = Some((bytes.to_vec(), name));
        }
    }
    let (bytes, name) = file.ok_or_else(|| ApiError::field("file", "chưa chọn tệp"))?;
    check_upload(&bytes, &Default::default())?;
    let picture_input = bytes.clone();
    let outcome = state
        .workflow
        .verify(&name, bytes, Lang::Vi, user, OffsetDateTime::now_utc())
        .await?;
    let picture = crate::workflow::blocking(move || Ok(picture::first_page(&picture_input)))
        .await
        .unwrap_or(None);
    let verdict_word = verdict_word(&outcome.verdict);
    Ok(json!({
        "report": outcome.json,
        "passes": outcome.passes,
        "verdict_word": verdict_word,
        "picture": picture,
    }))
}

/// The file's verdict as a headline (codes of `vanban verify --json`).
fn verdict_word(code: &str) -> &'static str {
    match code {
        "valid" => "HỢP LỆ: mọi chữ ký còn nguyên vẹn, chứng thư tin cậy và còn hiệu lực",
        "valid-with-allowed-changes" => {
            "HỢP LỆ: chữ ký nguyên vẹn; sau khi ký chỉ có thay đổi được phép (cấp số, ngày, đóng dấu)"
        }
        "unsigned" => "KHÔNG CÓ CHỮ KÝ SỐ",
        "malformed" => "KHÔNG ĐỌC ĐƯỢC: tệp hoặc chữ ký có cấu trúc hỏng",
        "invalid-crypto" => "KHÔNG HỢP LỆ: chữ ký số sai",
        "invalid-modified" => "KHÔNG HỢP LỆ: văn bản đã bị sửa đổi sau khi ký",
        "untrusted" => "CHƯA TIN CẬY: chứng thư không dẫn tới gốc tin cậy",
        "expired" => "KHÔNG HỢP LỆ: chứng thư hết hạn tại thời điểm ký",
        "revoked" => "KHÔNG HỢP LỆ: chứng thư đã bị thu hồi",
        _ => "KHÔNG ĐẠT: xem chi tiết từng chữ ký",
    }
}

// ----- audit -----

async fn audit_page(State(state): State<AppState>, PageUser(user, _): PageUser) -> Response {
    match audit_context(&state, &user).await {
        Ok(context) => state.pages.render("audit.html", Some(&user), context),
        Err(error) => state.pages.error(Some(&user), error),
    }
}

async fn audit_context(state: &AppState, user: &User) -> Result<Value, ApiError> {
    let register = state.workflow.register();
    auth::authorize(
        register,
        user,
        Action::ReadAudit,
        None,
        "audit",
        OffsetDateTime::now_utc(),
    )
    .await?;
    let records = audit::latest(register, 200).await?;
    let report = audit::verify(register).await?;
    let chain = match &report.broken {
        None => {
            json!({"ok": true, "text": format!("chuỗi băm nguyên vẹn ({} mục)", report.entries)})
        }
        Some(broken) => json!({"ok": false, "text": format!("chuỗi băm bị đứt: {broken}")}),
    };
    Ok(json!({
        "records": records.iter().map(audit_json).collect::<Vec<_>>(),
        "chain": chain,
    }))
}
