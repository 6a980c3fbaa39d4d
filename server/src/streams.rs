//! Live streams leave hyper. A connection's next request is looked at (not
//! read) when hyper asks for it; a live stream's (`GET /live?…`) ends
//! hyper's part — it sees the client close between two requests — and the
//! socket is answered here, through the same router, then given with the
//! stream to the app's shared writers ([`Fanout`]). An open stream then
//! holds no task and none of hyper's per-connection buffers (8 KiB to read
//! alone), which is most of what a subscriber cost.
//!
//! Every other request, and a stream whose request shares a read with the
//! one before it (pipelining), stays with hyper, which serves streams too.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use app::server::updates::fanout::{Fanout, Handover, HandoverOffered};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{
    HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, Version, header,
};
use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tower::ServiceExt;

/// How a live stream's request starts.
const STREAM_REQUEST: &[u8] = b"GET /live?";
/// The most an error answer's body may be.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Where a connection's socket goes when a stream takes it from hyper.
pub type Taken = Arc<Mutex<Option<TcpStream>>>;

pub fn take(taken: &Taken) -> Option<TcpStream> {
    taken.lock().unwrap_or_else(PoisonError::into_inner).take()
}

/// A connection's socket as hyper sees it: when hyper reads the start of a
/// request (the connection's first, or one after an answer was written)
/// and that request is a live stream's, the socket moves to `taken` and
/// hyper reads the end of its input.
pub struct Watched {
    socket: Option<TcpStream>,
    /// Something was written since the last read: the next is a request's start.
    between_requests: bool,
    taken: Taken,
}

impl Watched {
    pub fn new(socket: TcpStream, taken: Taken) -> Self {
        Self {
            socket: Some(socket),
            between_requests: true,
            taken,
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let Some(socket) = this.socket.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        if this.between_requests {
            let mut start = [0u8; STREAM_REQUEST.len()];
            let mut start = ReadBuf::new(&mut start);
            ready!(socket.poll_peek(cx, &mut start))?;
            if start.filled() == STREAM_REQUEST {
                *this.taken.lock().unwrap_or_else(PoisonError::into_inner) = this.socket.take();
                return Poll::Ready(Ok(()));
            }
            // (A request line split across packets this early stays with hyper.)
        }
        let before = buf.filled().len();
        ready!(Pin::new(socket).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            this.between_requests = false;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(socket) = this.socket.as_mut() else {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        };
        let written = ready!(Pin::new(socket).poll_write(cx, data))?;
        if written > 0 {
            this.between_requests = true;
        }
        Poll::Ready(Ok(written))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().socket.as_mut() {
            Some(socket) => Pin::new(socket).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Once taken, the socket is not hyper's to close.
        match self.get_mut().socket.as_mut() {
            Some(socket) => Pin::new(socket).poll_shutdown(cx),
            None => Poll::Ready(Ok(())),
        }
    }
}

/// Limits for reading a stream's request here, as hyper has them.
#[derive(Clone, Copy)]
pub struct Limits {
    pub read_timeout: Duration,
    pub max_head_bytes: usize,
    pub max_headers: usize,
}

/// Answers the live stream's request waiting on `socket` through `app`;
/// an open stream goes to `fanout` with `permit` (the connection's place),
/// anything else (an unknown event, too many streams) is answered and the
/// connection closed.
pub async fn answer(
    app: Router,
    mut socket: TcpStream,
    peer: SocketAddr,
    fanout: &Fanout,
    permit: OwnedSemaphorePermit,
    limits: Limits,
) {
    let request = match read_request(&mut socket, peer, limits).await {
        Ok(request) => request,
        Err(status) => {
            let _ = write_all(
                &mut socket,
                &head(status, &HeaderMap::new(), Some(0)),
                limits,
            )
            .await;
            return;
        }
    };
    let response = match app.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    if let Some(subscription) = parts.extensions.get::<Handover>().and_then(Handover::take) {
        let head = head(parts.status, &parts.headers, None);
        fanout.adopt(socket, head, subscription, Some(permit));
        return;
    }
    let body = axum::body::to_bytes(body, MAX_ERROR_BODY)
        .await
        .unwrap_or_default();
    let mut answer = head(parts.status, &parts.headers, Some(body.len())).to_vec();
    answer.extend_from_slice(&body);
    if write_all(&mut socket, &answer, limits).await.is_ok() {
        let _ = socket.shutdown().await;
    }
}

async fn write_all(socket: &mut TcpStream, data: &[u8], limits: Limits) -> io::Result<()> {
    tokio::time::timeout(limits.read_timeout, socket.write_all(data))
        .await
        .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
}

/// Reads and parses one request head (the stream's request has no body).
async fn read_request(
    socket: &mut TcpStream,
    peer: SocketAddr,
    limits: Limits,
) -> Result<Request<Body>, StatusCode> {
    let mut buf = Vec::with_capacity(1024);
    let deadline = tokio::time::Instant::now() + limits.read_timeout;
    loop {
        let read = tokio::time::timeout_at(deadline, socket.read_buf(&mut buf)).await;
        match read {
            Ok(Ok(n)) if n > 0 => {}
            _ => return Err(StatusCode::REQUEST_TIMEOUT),
        }
        let mut fields = vec![httparse::EMPTY_HEADER; limits.max_headers];
        let mut parsed = httparse::Request::new(&mut fields);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => return request(&parsed, peer),
            Ok(httparse::Status::Partial) if buf.len() < limits.max_head_bytes => {}
            Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                return Err(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
            }
            Err(_) => return Err(StatusCode::BAD_REQUEST),
        }
    }
}

fn request(
    parsed: &httparse::Request<'_, '_>,
    peer: SocketAddr,
) -> Result<Request<Body>, StatusCode> {
    let (Some("GET"), Some(path), Some(1)) = (parsed.method, parsed.path, parsed.version) else {
        return Err(StatusCode::BAD_REQUEST);
    };
    let mut request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .version(Version::HTTP_11)
        .extension(ConnectInfo(peer))
        .extension(HandoverOffered)
        .body(Body::empty())
        .map_err(|_| StatusCode::BAD_REQUEST)?;
    let headers = request.headers_mut();
    for field in parsed.headers.iter() {
        let name = HeaderName::from_bytes(field.name.as_bytes());
        let value = HeaderValue::from_bytes(field.value);
        let (Ok(name), Ok(value)) = (name, value) else {
            return Err(StatusCode::BAD_REQUEST);
        };
        headers.append(name, value);
    }
    Ok(request)
}

/// An HTTP/1.1 response head that ends the connection after the body:
/// `length` bytes of it, or, for a stream, until the connection closes.
fn head(status: StatusCode, headers: &HeaderMap, length: Option<usize>) -> Bytes {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in headers {
        if [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::CONNECTION,
        ]
        .contains(name)
        {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    if let Some(length) = length {
        head.extend_from_slice(format!("content-length: {length}\r\n").as_bytes());
    }
    head.extend_from_slice(b"connection: close\r\n\r\n");
    head.into()
}
