//! Request extractors: who is asking ([`ApiUser`] for the JSON API, [`PageUser`] for the web
//! pages, which redirect to the login page instead of answering 401), JSON bodies whose
//! rejections come back in the API's error shape, and bounded bodies read only after a work
//! permit is held.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use crate::register::people::User;
use crate::workflow::auth;

use super::AppState;
use super::error::ApiError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "vanban_session";

/// A logged-in user of the JSON API (Bearer token or session cookie).
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

/// A logged-in user of the web pages; without one, a redirect to `/login`.
#[derive(Debug, Clone)]
pub struct PageUser(pub User, pub String);

/// The user if logged in, else nobody (public pages).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<User>);

/// The token of a request: `Authorization: Bearer …`, else the session cookie.
pub fn token_of(parts: &Parts) -> Option<String> {
    if let Some(value) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(token) = value.strip_prefix("Bearer ")
    {
        return Some(token.trim().to_owned());
    }
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

async fn user_of(parts: &Parts, state: &AppState) -> Result<(User, String), ApiError> {
    let token = token_of(parts).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "cần đăng nhập (Bearer token)",
        )
    })?;
    let user =
        auth::authenticate(state.workflow.register(), &token, OffsetDateTime::now_utc()).await?;
    Ok((user, token))
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        user_of(parts, state).await.map(|(user, _)| ApiUser(user))
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        user_of(parts, state)
            .await
            .map(|(user, token)| PageUser(user, token))
            .map_err(|_| Redirect::to("/login").into_response())
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(MaybeUser(
            user_of(parts, state).await.ok().map(|(user, _)| user),
        ))
    }
}

/// A JSON body; a bad one is a 422 naming the path serde stopped at.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError {
                status: rejection.status(),
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_json",
                    rejection.body_text(),
                )
            }),
        }
    }
}

/// Read a body of at most `limit` bytes (413 beyond).
pub async fn read_body(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(_) => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("nội dung gửi lên quá {limit} byte (hoặc bị ngắt giữa chừng)"),
        )),
    }
}
