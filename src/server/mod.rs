//! The HTTP service (`vanban serve`): a thin axum shell over [`crate::workflow`].
//!
//! ```text
//!  request ──► extract (ApiUser / PageUser, ApiJson, bounded body) ──► workflow step ──► response
//!                                                                   (errors: error::ApiError, one place)
//! ```
//!
//! [`app`] builds the whole router, so tests drive it with `oneshot` and no socket; [`serve`]
//! binds it. The JSON API lives under `/api` (described by `/openapi.json`), the server-rendered
//! pages (Vietnamese first, one per role's job) at the top level, `GET /healthz` for probes.
//!
//! Limits: JSON and document data bodies up to [`crate::limits::MAX_DATA_BYTES`], uploaded
//! PDF/DOCX up to [`MAX_UPLOAD_BYTES`]; an upload is read only once one of a few work permits
//! is free ([`AppState::heavy`]), so a flood of large uploads queues instead of filling memory.
//! Typesetting, hashing, key decryption, signing and verifying run on the blocking pool.

pub mod api;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod pages;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::sync::Semaphore;

use crate::workflow::Workflow;

/// Largest PDF or DOCX uploaded for verification or receipt: 32 MiB.
///
/// Documents with scanned appendices reach 10–20 MB; with [`HEAVY_PERMITS`] uploads in memory
/// at once this keeps a busy server's buffers under about 128 MB.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// Uploads and heavy steps in flight at once: 4 (2 cores, each kept busy while another request
/// is read from the network).
pub const HEAVY_PERMITS: usize = 4;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The workflow (register, files, keys, trust).
    pub workflow: Workflow,
    /// The pages' templates.
    pub pages: Arc<pages::Pages>,
    /// Permits for uploads and heavy work.
    pub heavy: Arc<Semaphore>,
    /// Whether cookies are marked `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

impl AppState {
    /// State over a workflow, with the embedded page templates.
    pub fn new(workflow: Workflow) -> Result<AppState, String> {
        Ok(AppState {
            workflow,
            pages: Arc::new(pages::Pages::embedded()?),
            heavy: Arc::new(Semaphore::new(HEAVY_PERMITS)),
            secure_cookies: false,
        })
    }
}

/// The whole service.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .layer(DefaultBodyLimit::max(crate::limits::MAX_DATA_BYTES))
        .with_state(state)
}

/// Serve `state` on `addr` until Ctrl-C (or SIGTERM); `ready` gets the bound address.
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
