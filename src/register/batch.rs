//! Group commit for [`super::numbering::reserve`]: concurrent requests in one process share one
//! write transaction and one commit (one fsync) instead of one each.
//!
//! Each number still gets its own counter step, its own `register_number` row and its own audit
//! entry, in request order; only the transaction is shared. A caller gets its number back only
//! after the commit, exactly as without batching.
//!
//! No background task: a caller queues its request and then waits for its turn at the writer
//! lock. Whoever holds the turn (the "leader") takes up to [`MAX_BATCH`] queued requests,
//! numbers them all in one transaction, commits, and hands each caller its result; a caller
//! whose request was served by an earlier leader finds its result waiting. If the shared
//! transaction fails, it is rolled back and each request of the batch is retried in a
//! transaction of its own, so one bad request cannot fail the others.
//!
//! Cancellation: a caller dropped while waiting may still have its request numbered by the
//! next leader; the number then stays on record as reserved (void it), never lost or reused.
//!
//! Why: a commit on SQLite with `synchronous = FULL` (the default, kept: a number handed out
//! must survive a power cut) costs one fsync, several milliseconds on a virtual disk, and caps
//! numbering at a few hundred per second; on PostgreSQL the audit head's row lock is held until
//! the commit's WAL flush, with the same cap. Sharing the commit lifts both.

use std::sync::Mutex;

use tokio::sync::oneshot;

use super::RegisterError;
use super::numbering::{ReserveRequest, Reserved, reserve_in};
use super::store::Register;

/// Most requests numbered in one shared transaction (bounds how long the write lock is held:
/// a few tens of milliseconds).
pub const MAX_BATCH: usize = 128;

type Reply = oneshot::Sender<Result<Reserved, RegisterError>>;

/// The per-register queue of reserve requests.
#[derive(Debug, Default)]
pub(crate) struct NumberQueue {
    pending: Mutex<Vec<(ReserveRequest, Reply)>>,
    turn: tokio::sync::Mutex<()>,
}

impl NumberQueue {
    /// Queue `request`, then serve batches until its own result is in.
    pub(crate) async fn reserve(
        &self,
        register: &Register,
        request: &ReserveRequest,
    ) -> Result<Reserved, RegisterError> {
        let (reply, mut result) = oneshot::channel();
        self.lock_pending().push((request.clone(), reply));
        loop {
            if let Some(outcome) = ready(&mut result) {
                return outcome;
            }
            let _turn = self.turn.lock().await;
            if let Some(outcome) = ready(&mut result) {
                return outcome;
            }
            let batch = self.take_batch();
            serve(register, batch).await;
        }
    }

    fn take_batch(&self) -> Vec<(ReserveRequest, Reply)> {
        let mut pending = self.lock_pending();
        let count = pending.len().min(MAX_BATCH);
        pending.drain(..count).collect()
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, Vec<(ReserveRequest, Reply)>> {
        // A panic while holding this lock leaves only a plain Vec behind: keep using it.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The caller's result if a leader has delivered it; an error if the leader was cancelled
/// before it could answer (its transaction rolled back, or committed numbers stay on record as
/// reserved and are never given again).
fn ready(
    result: &mut oneshot::Receiver<Result<Reserved, RegisterError>>,
) -> Option<Result<Reserved, RegisterError>> {
    match result.try_recv() {
        Ok(outcome) => Some(outcome),
        Err(oneshot::error::TryRecvError::Empty) => None,
        Err(oneshot::error::TryRecvError::Closed) => Some(Err(RegisterError::Interrupted)),
    }
}

/// Number a batch in one transaction; on failure, each request alone.
async fn serve(register: &Register, batch: Vec<(ReserveRequest, Reply)>) {
    if batch.is_empty() {
        return;
    }
    match together(register, &batch).await {
        Ok(results) => {
            for ((_, reply), reserved) in batch.into_iter().zip(results) {
                // The caller may have gone away; its number stays on record as reserved.
                let _ = reply.send(Ok(reserved));
            }
        }
        Err(_) => {
            for (request, reply) in batch {
                let _ = reply.send(alone(register, &request).await);
            }
        }
    }
}

async fn together(
    register: &Register,
    batch: &[(ReserveRequest, Reply)],
) -> Result<Vec<Reserved>, RegisterError> {
    let mut tx = register.begin_write().await?;
    let mut results = Vec::with_capacity(batch.len());
    for (request, _) in batch {
        results.push(reserve_in(&mut tx, request).await?);
    }
    tx.commit().await?;
    Ok(results)
}

async fn alone(register: &Register, request: &ReserveRequest) -> Result<Reserved, RegisterError> {
    let mut tx = register.begin_write().await?;
    let reserved = reserve_in(&mut tx, request).await?;
    tx.commit().await?;
    Ok(reserved)
}
