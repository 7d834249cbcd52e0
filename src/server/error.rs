//! One place that turns a workflow error into an HTTP response (STYLE.md habit 14): the status
//! follows the variant; the body is JSON `{"error": {"code", "message", "field"?, "problems"?}}`;
//! a 500's details go to the log and the client sees only that something failed.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::register::RegisterError;
use crate::workflow::WorkflowError;

/// An error as the API answers it.
#[derive(Debug)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// A stable code (`forbidden`, `invalid_field`, …).
    pub code: &'static str,
    /// The message, Vietnamese first.
    pub message: String,
    /// The field at fault, when one is.
    pub field: Option<String>,
    /// Format problems, each with its field path.
    pub problems: Vec<serde_json::Value>,
}

impl ApiError {
    /// A 4xx with a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            problems: Vec::new(),
        }
    }

    /// A 422 naming a field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.into()),
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message)
        }
    }
}

impl From<WorkflowError> for ApiError {
    fn from(error: WorkflowError) -> ApiError {
        let message = error.to_string();
        let plain = |status, code| ApiError::new(status, code, message.clone());
        match error {
            WorkflowError::Unauthorized { .. } => plain(StatusCode::UNAUTHORIZED, "unauthorized"),
            WorkflowError::Forbidden { .. } => plain(StatusCode::FORBIDDEN, "forbidden"),
            WorkflowError::WrongPin => plain(StatusCode::FORBIDDEN, "wrong_pin"),
            WorkflowError::NoKey { .. } => plain(StatusCode::CONFLICT, "no_key"),
            WorkflowError::NotFound { .. } => plain(StatusCode::NOT_FOUND, "not_found"),
            WorkflowError::WrongState { .. } => plain(StatusCode::CONFLICT, "wrong_state"),
            WorkflowError::Invalid { field, message } => ApiError::field(field, message),
            WorkflowError::Format(diagnostics) => ApiError {
                problems: diagnostics
                    .0
                    .iter()
                    .map(|d| {
                        let mut value = serde_json::to_value(d).unwrap_or_default();
                        value["path"] = json!(d.origin.to_string());
                        value
                    })
                    .collect(),
                ..plain(StatusCode::UNPROCESSABLE_ENTITY, "format")
            },
            WorkflowError::Render(_) => plain(StatusCode::UNPROCESSABLE_ENTITY, "render"),
            WorkflowError::Verify(_) => plain(StatusCode::UNPROCESSABLE_ENTITY, "verify"),
            WorkflowError::Sign(_) => plain(StatusCode::UNPROCESSABLE_ENTITY, "sign"),
            WorkflowError::Register(error) => register_error(error, message),
            WorkflowError::Files(_) | WorkflowError::Internal(_) => internal(message),
        }
    }
}

fn register_error(error: RegisterError, message: String) -> ApiError {
    match error {
        RegisterError::InvalidField { field, problem } => ApiError::field(field, problem),
        RegisterError::YearOutOfRange { .. } => ApiError::field("year", message),
        RegisterError::YearMismatch { .. } => ApiError::field("date", message),
        RegisterError::StaleDocument { .. }
        | RegisterError::AlreadyExists { .. }
        | RegisterError::AlreadyReceived { .. }
        | RegisterError::DuplicateNumberSymbol { .. }
        | RegisterError::WrongState { .. } => {
            ApiError::new(StatusCode::CONFLICT, "conflict", message)
        }
        RegisterError::UnknownNumber { .. } => {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
        }
        RegisterError::Busy { .. } => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message)
        }
        _ => internal(message),
    }
}

fn internal(message: String) -> ApiError {
    // The details (paths, driver errors) are for the operator, not the client.
    eprintln!("vanban serve: lỗi nội bộ: {message}");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "lỗi nội bộ của máy chủ; xem nhật ký máy chủ",
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(field) = &self.field {
            error["field"] = json!(field);
        }
        if !self.problems.is_empty() {
            error["problems"] = json!(self.problems);
        }
        (self.status, Json(json!({ "error": error }))).into_response()
    }
}

impl From<RegisterError> for ApiError {
    fn from(error: RegisterError) -> ApiError {
        ApiError::from(WorkflowError::from(error))
    }
}
