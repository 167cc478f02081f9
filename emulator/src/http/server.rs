//! The listener: accepts connections (plain or TLS) and serves HTTP/1.1 on each.
//!
//! We run our own accept loop rather than a framework's so that a request can close its
//! connection without answering (the `drop` fault): each connection task races the HTTP
//! connection against a "drop now" signal and simply lets go of the socket when told.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio_rustls::TlsAcceptor;

use super::Outcome;
use super::front;
use crate::emulator::Emulator;
use crate::tenant::real_names::RealHost;

/// A TLS handshake that takes longer than this is abandoned.
pub(super) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves until the future is dropped (the emulator shuts down).
pub async fn serve(listener: TcpListener, tls: Option<TlsAcceptor>, emulator: Arc<Emulator>) {
    accept_each(listener, |stream| {
        let emulator = emulator.clone();
        let tls = tls.clone();
        async move {
            match tls {
                None => serve_connection(stream, emulator, None).await,
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream));
                    if let Ok(Ok(stream)) = handshake.await {
                        serve_connection(stream, emulator, None).await;
                    }
                }
            }
        }
    })
    .await;
}

/// Accepts connections, each served by its own task, until the future is dropped.
pub(super) async fn accept_each<Task>(listener: TcpListener, serve: impl Fn(TcpStream) -> Task)
where
    Task: Future<Output = ()> + Send + 'static,
{
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                // Usually out of file descriptors; pausing beats spinning.
                eprintln!("spo-emulator: accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve(stream));
    }
}

/// Serves HTTP/1.1 on one connection: of the listener (`host` is `None`), or inside a proxy
/// tunnel to the real host name `host`.
pub(super) async fn serve_connection<S>(
    stream: S,
    emulator: Arc<Emulator>,
    host: Option<Arc<RealHost>>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let drop_now = Arc::new(Notify::new());
    let service = {
        let drop_now = drop_now.clone();
        service_fn(move |request| {
            let emulator = emulator.clone();
            let drop_now = drop_now.clone();
            let host = host.clone();
            async move {
                match front::handle(emulator, request, host.as_deref()).await {
                    Outcome::Respond(response) => Ok::<_, Infallible>(response),
                    Outcome::Drop => {
                        drop_now.notify_one();
                        // Never answer; the connection is about to be dropped.
                        std::future::pending().await
                    }
                }
            }
        })
    };
    // No header-read timeout on purpose: closing idle keep-alive connections races with
    // clients reusing them, and a loopback-only emulator has no slow clients to fear.
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        () = drop_now.notified() => {}
    }
}
