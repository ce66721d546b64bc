//! Group commit for writes that arrive faster than one transaction each can commit (a door
//! queue at opening time): each request joins a queue; whoever gets the turn takes everything
//! waiting (at most a batch) and hands it to one transaction, which answers each request in
//! order. One commit, and on SQLite one write turn, then serve many requests.
//!
//! The batch runs in a task of its own: a request dropped half-way (its client went away)
//! must not abandon the others in the middle of their transaction, and they are answered from
//! that task.

use std::future::Future;
use std::sync::Mutex;
use tokio::sync::oneshot;

struct Entry<T, R> {
    item: T,
    answer: oneshot::Sender<R>,
}

/// Requests waiting for their batch, and the turn to run one.
pub struct Queue<T, R> {
    waiting: Mutex<Vec<Entry<T, R>>>,
    turn: tokio::sync::Mutex<()>,
}

impl<T, R> Default for Queue<T, R> {
    fn default() -> Self {
        Queue {
            waiting: Mutex::new(Vec::new()),
            turn: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T: Send + 'static, R: Send + 'static> Queue<T, R> {
    /// Handles `item`, alone or in a batch of at most `most` with the others waiting. `run`
    /// handles a batch and returns one answer per item, in order; `lost` is the answer when a
    /// batch could not give one (its task failed).
    pub async fn handle<F, Fut>(&self, item: T, most: usize, run: F, lost: fn() -> R) -> R
    where
        F: Fn(Vec<T>) -> Fut,
        Fut: Future<Output = Vec<R>> + Send + 'static,
    {
        let (answer, mut answered) = oneshot::channel();
        self.lock_waiting().push(Entry { item, answer });
        tokio::select! {
            biased;
            outcome = &mut answered => return outcome.unwrap_or_else(|_| lost()),
            turn = self.turn.lock() => {
                // Batches until this request's answer is in: with more than a batch waiting,
                // the first ones taken may not hold it.
                loop {
                    let batch = self.take(most);
                    if batch.is_empty() {
                        break;
                    }
                    let (items, answers): (Vec<T>, Vec<oneshot::Sender<R>>) =
                        batch.into_iter().map(|e| (e.item, e.answer)).unzip();
                    let outcomes = run(items);
                    let _ = tokio::spawn(async move {
                        for (answer, outcome) in answers.into_iter().zip(outcomes.await) {
                            let _ = answer.send(outcome);
                        }
                    })
                    .await;
                    match answered.try_recv() {
                        Ok(outcome) => return outcome,
                        Err(oneshot::error::TryRecvError::Closed) => return lost(),
                        Err(oneshot::error::TryRecvError::Empty) => {}
                    }
                }
                drop(turn);
            }
        }
        // Answered by an earlier batch that took this request along.
        answered.await.unwrap_or_else(|_| lost())
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<Entry<T, R>>> {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The oldest requests waiting, at most `most`; those whose request went away are
    /// dropped (nobody would hear the answer).
    fn take(&self, most: usize) -> Vec<Entry<T, R>> {
        let mut waiting = self.lock_waiting();
        waiting.retain(|entry| !entry.answer.is_closed());
        let first = waiting.len().min(most);
        let rest = waiting.split_off(first);
        std::mem::replace(&mut *waiting, rest)
    }
}
