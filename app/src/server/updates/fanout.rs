//! The shared writers of live streams. A stream's request is answered like
//! any other, through the router; when it arrives on a connection the
//! server can hand over (see the `server` crate), the answer carries a
//! [`Handover`] instead of a body, and the connection's socket goes to one
//! of a few writer tasks (one per core) that hold every stream between
//! them. Each writer receives every published message once and writes its
//! frame — serialised once, at publishing — to the sockets that follow its
//! topic, without blocking: a socket that cannot take it queues the frame
//! (shared, not copied) until it can, and one that falls too far behind,
//! or blocks too long, is closed (its browser resumes with `Last-Event-ID`).
//!
//! A stream then costs a socket, a little bookkeeping and one small waiting
//! future, not a task, a connection's read and write buffers and a copy of
//! every message.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::future::{AbortHandle, Abortable};
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::io::Interest;
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, broadcast, mpsc};
use tokio::task::JoinHandle;

use crate::server::live::{Envelope, Live, Slot, Topic};

/// How often an idle stream gets a comment, so that proxies and browsers
/// keep it open.
pub const KEEP_ALIVE: Duration = Duration::from_secs(20);
const KEEP_ALIVE_FRAME: &[u8] = b":\n\n";
/// Bytes a stream may have waiting before it is closed as too slow.
const MAX_QUEUED: usize = 64 * 1024;

/// Marks a request whose connection the server can hand over: the live
/// stream then answers with a [`Handover`] rather than a body.
#[derive(Clone, Copy, Debug)]
pub struct HandoverOffered;

/// What a live stream's answer carries when its connection is handed over:
/// the stream, for [`Fanout::adopt`]. (Response extensions must be `Clone`;
/// the first to take it has it.)
#[derive(Clone)]
pub struct Handover(Arc<Mutex<Option<Subscription>>>);

impl Handover {
    pub fn new(subscription: Subscription) -> Self {
        Self(Arc::new(Mutex::new(Some(subscription))))
    }

    pub fn take(&self) -> Option<Subscription> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// One admitted stream, before its socket is adopted.
pub struct Subscription {
    pub slot: Slot,
    pub topics: Vec<Topic>,
    /// The last message id the backlog accounts for: later ones are
    /// replayed from the recent ring when the stream is adopted.
    pub watermark: u64,
    /// The snapshot or the missed messages, as frames.
    pub backlog: Vec<Bytes>,
}

/// The writers, and which gets the next stream.
pub struct Fanout {
    writers: Vec<mpsc::UnboundedSender<Adopted>>,
    next: AtomicUsize,
}

struct Adopted {
    socket: TcpStream,
    /// The response head, written first.
    head: Bytes,
    subscription: Subscription,
    permit: Option<OwnedSemaphorePermit>,
}

impl Fanout {
    /// Starts `writers` writer tasks (at least one); a stream that blocks
    /// for `write_timeout` is closed. Abort the tasks to close every stream.
    pub fn spawn(
        live: &Live,
        writers: usize,
        write_timeout: Duration,
    ) -> (Self, Vec<JoinHandle<()>>) {
        let (senders, tasks) = (0..writers.max(1))
            .map(|_| {
                let (sender, inbox) = mpsc::unbounded_channel();
                let writer = Writer {
                    live: live.clone(),
                    receiver: live.subscribe(),
                    streams: HashMap::new(),
                    waiting: FuturesUnordered::new(),
                    next_key: 0,
                    write_timeout,
                };
                (sender, tokio::spawn(writer.run(inbox)))
            })
            .unzip();
        (
            Self {
                writers: senders,
                next: AtomicUsize::new(0),
            },
            tasks,
        )
    }

    /// Gives `socket` to a writer, which writes `head` (the response head)
    /// and the stream. `permit`, the connection's place, is held as long.
    pub fn adopt(
        &self,
        socket: TcpStream,
        head: Bytes,
        subscription: Subscription,
        permit: Option<OwnedSemaphorePermit>,
    ) {
        let writer = self.next.fetch_add(1, Ordering::Relaxed) % self.writers.len();
        // A writer that has stopped (shutting down) drops the stream.
        let _ = self.writers[writer].send(Adopted {
            socket,
            head,
            subscription,
            permit,
        });
    }
}

/// One stream a writer holds.
struct Stream {
    socket: Arc<TcpStream>,
    topics: Vec<Topic>,
    /// The last message id written (or queued).
    floor: u64,
    /// Frames the socket could not take yet; the first from `offset`.
    queue: VecDeque<Bytes>,
    offset: usize,
    queued: usize,
    blocked_since: Option<Instant>,
    /// Ends the future waiting on the socket (which holds it open).
    waiting: AbortHandle,
    /// That future also waits for the socket to take writes.
    wants_write: bool,
    _slot: Slot,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.waiting.abort();
    }
}

impl Stream {
    /// Writes `frame`, or queues it behind what waits. `false` when the
    /// stream is broken or too far behind: drop it.
    fn send(&mut self, frame: &Bytes) -> bool {
        if self.queue.is_empty() {
            match self.socket.try_write(frame) {
                Ok(n) if n == frame.len() => return true,
                Ok(n) => {
                    self.queue.push_back(frame.slice(n..));
                    self.queued += frame.len() - n;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    self.queue.push_back(frame.clone());
                    self.queued += frame.len();
                }
                Err(_) => return false,
            }
            self.blocked_since = Some(Instant::now());
            return true;
        }
        self.queue.push_back(frame.clone());
        self.queued += frame.len();
        self.queued <= MAX_QUEUED
    }

    /// Writes what waits, as far as the socket takes it. `false` when broken.
    fn flush(&mut self) -> bool {
        while let Some(front) = self.queue.front() {
            match self.socket.try_write(&front[self.offset..]) {
                Ok(n) => {
                    self.offset += n;
                    self.queued -= n;
                    if self.offset == front.len() {
                        self.queue.pop_front();
                        self.offset = 0;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return true,
                Err(_) => return false,
            }
        }
        self.blocked_since = None;
        true
    }
}

/// What a stream's waiting future saw.
enum Wake {
    /// The client sent something, or closed the connection (or the socket
    /// failed).
    Readable,
    /// The socket takes writes again.
    Writable,
}

struct Writer {
    live: Live,
    receiver: broadcast::Receiver<Arc<Envelope>>,
    streams: HashMap<u64, Stream>,
    waiting: Waiting,
    next_key: u64,
    write_timeout: Duration,
}

impl Writer {
    async fn run(mut self, mut inbox: mpsc::UnboundedReceiver<Adopted>) {
        let mut keep_alive = tokio::time::interval(KEEP_ALIVE);
        keep_alive.tick().await;
        loop {
            tokio::select! {
                adopted = inbox.recv() => match adopted {
                    Some(adopted) => self.adopt(adopted),
                    None => return,
                },
                message = self.receiver.recv() => match message {
                    Ok(envelope) => self.deliver(&envelope),
                    // This writer fell behind the broadcast: every stream
                    // catches up from the recent ring, or is closed.
                    Err(broadcast::error::RecvError::Lagged(_)) => self.catch_up_all(),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                Some((key, wake)) = self.waiting.next(), if !self.waiting.is_empty() => {
                    if let Some(wake) = wake {
                        self.woken(key, wake);
                    }
                }
                _ = keep_alive.tick() => self.keep_alive(),
            }
        }
    }

    fn adopt(&mut self, adopted: Adopted) {
        let Adopted {
            socket,
            head,
            subscription,
            permit,
        } = adopted;
        let key = self.next_key;
        self.next_key += 1;
        let mut stream = Stream {
            socket: Arc::new(socket),
            topics: subscription.topics,
            floor: subscription.watermark,
            queue: VecDeque::new(),
            offset: 0,
            queued: 0,
            blocked_since: None,
            waiting: AbortHandle::new_pair().0,
            wants_write: false,
            _slot: subscription.slot,
            _permit: permit,
        };
        let mut ok = stream.send(&head);
        for frame in &subscription.backlog {
            ok = ok && stream.send(frame);
        }
        if !ok || !self.catch_up(&mut stream) {
            return;
        }
        arm(&self.waiting, key, &mut stream);
        self.streams.insert(key, stream);
    }

    /// Writes the messages for `stream` published after its floor, from
    /// the recent ring; `false` when the ring no longer has them all.
    fn catch_up(&self, stream: &mut Stream) -> bool {
        let Some(missed) = self.live.since(stream.floor, &stream.topics) else {
            return false;
        };
        stream.floor = self.live.last_id().max(stream.floor);
        missed.iter().all(|envelope| stream.send(&envelope.frame))
    }

    fn catch_up_all(&mut self) {
        let keys: Vec<u64> = self.streams.keys().copied().collect();
        for key in keys {
            let Some(mut stream) = self.streams.remove(&key) else {
                continue;
            };
            if self.catch_up(&mut stream) {
                self.streams.insert(key, stream);
            }
        }
    }

    fn deliver(&mut self, envelope: &Envelope) {
        self.streams.retain(|_, stream| {
            if envelope.id <= stream.floor || !stream.topics.contains(&envelope.topic) {
                return true;
            }
            stream.floor = envelope.id;
            stream.send(&envelope.frame)
        });
        self.rearm_blocked();
    }

    /// Streams that blocked since their future was made get one that also
    /// waits for the socket to take writes.
    fn rearm_blocked(&mut self) {
        for (key, stream) in &mut self.streams {
            if !stream.queue.is_empty() && !stream.wants_write {
                arm(&self.waiting, *key, stream);
            }
        }
    }

    fn woken(&mut self, key: u64, wake: Wake) {
        let Some(stream) = self.streams.get_mut(&key) else {
            return;
        };
        let alive = match wake {
            Wake::Writable => stream.flush(),
            // A stream's client has nothing to say: anything it sends, or
            // the end of its input, ends the stream.
            Wake::Readable => {
                let mut scratch = [0u8; 64];
                matches!(
                    stream.socket.try_read(&mut scratch),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
                )
            }
        };
        if alive {
            arm(&self.waiting, key, stream);
        } else {
            self.streams.remove(&key);
        }
    }

    fn keep_alive(&mut self) {
        let frame = Bytes::from_static(KEEP_ALIVE_FRAME);
        let timeout = self.write_timeout;
        self.streams.retain(|_, stream| match stream.blocked_since {
            Some(since) => since.elapsed() < timeout,
            None => stream.send(&frame),
        });
        self.rearm_blocked();
    }
}

type Waiting = FuturesUnordered<futures::future::BoxFuture<'static, (u64, Option<Wake>)>>;

/// Gives `stream` a new future (ending its last) that resolves when the
/// client sends or closes, or, while frames wait, when the socket takes
/// writes again.
fn arm(waiting: &Waiting, key: u64, stream: &mut Stream) {
    let (handle, registration) = AbortHandle::new_pair();
    stream.waiting.abort();
    stream.waiting = handle;
    stream.wants_write = !stream.queue.is_empty();
    let interest = if stream.wants_write {
        Interest::READABLE | Interest::WRITABLE
    } else {
        Interest::READABLE
    };
    let socket = Arc::clone(&stream.socket);
    let ready = async move {
        match socket.ready(interest).await {
            Ok(ready) if ready.is_writable() && !ready.is_read_closed() => Wake::Writable,
            _ => Wake::Readable,
        }
    };
    waiting.push(Box::pin(async move {
        (key, Abortable::new(ready, registration).await.ok())
    }));
}
