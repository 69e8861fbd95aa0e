//! A fixed pool of worker threads that runs jobs with at most `per_host` of them in flight for
//! any one host, so that a chapter with fifty links to one site does not hammer it.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The jobs not started yet, and how many are running per host.
struct Queue {
    pending: VecDeque<usize>,
    running: HashMap<String, usize>,
}

/// Shared by the workers.
struct Scheduler<'a> {
    hosts: &'a [String],
    per_host: usize,
    queue: Mutex<Queue>,
    changed: Condvar,
}

impl Scheduler<'_> {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next job whose host has room, waiting while every pending host is busy; `None`
    /// when no job is left.
    fn next(&self) -> Option<usize> {
        let mut queue = self.lock();
        loop {
            if queue.pending.is_empty() {
                return None;
            }
            let has_room = |job: &usize| {
                queue.running.get(&self.hosts[*job]).copied().unwrap_or(0) < self.per_host
            };
            if let Some(position) = queue.pending.iter().position(has_room) {
                let job = queue.pending.remove(position)?;
                *queue.running.entry(self.hosts[job].clone()).or_default() += 1;
                return Some(job);
            }
            queue = self
                .changed
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn finish(&self, job: usize) {
        let mut queue = self.lock();
        if let Some(count) = queue.running.get_mut(&self.hosts[job]) {
            *count = count.saturating_sub(1);
        }
        drop(queue);
        self.changed.notify_all();
    }
}

/// Runs `work(i)` for every job `i` of `hosts` (job `i` talks to `hosts[i]`) on `concurrency`
/// threads, at most `per_host` at once per host; the results are in job order.
pub(crate) fn run<R: Send>(
    hosts: &[String],
    concurrency: usize,
    per_host: usize,
    work: impl Fn(usize) -> R + Sync,
) -> Vec<R> {
    let scheduler = Scheduler {
        hosts,
        per_host: per_host.max(1),
        queue: Mutex::new(Queue {
            pending: (0..hosts.len()).collect(),
            running: HashMap::new(),
        }),
        changed: Condvar::new(),
    };
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..hosts.len()).map(|_| None).collect());
    let threads = concurrency.clamp(1, hosts.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(job) = scheduler.next() {
                    let result = work(job);
                    results.lock().unwrap_or_else(PoisonError::into_inner)[job] = Some(result);
                    scheduler.finish(job);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn keeps_order_and_the_per_host_limit() {
        let hosts: Vec<String> = (0..12)
            .map(|i| if i % 3 == 0 { "b" } else { "a" }.to_owned())
            .collect();
        let running_a = AtomicUsize::new(0);
        let max_a = AtomicUsize::new(0);
        let results = run(&hosts, 8, 2, |job| {
            if hosts[job] == "a" {
                let now = running_a.fetch_add(1, Ordering::SeqCst) + 1;
                max_a.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running_a.fetch_sub(1, Ordering::SeqCst);
            }
            job * 10
        });
        assert_eq!(results, (0..12).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(max_a.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn no_jobs_no_threads() {
        assert!(run(&[], 4, 1, |job| job).is_empty());
    }
}
