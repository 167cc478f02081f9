//! The HTTP side: the listener (`server`, `tls`), the rehearsal proxy that answers for the
//! real host names (`proxy`, with the certificates of `certificate_authority`, and
//! `misdirection` for requests in a tunnel that name another host), the front
//! door that routes each request and logs it (`front`, `routes`), the answers' shapes
//! (`replies`), and one file per kind of request: `process_query` (CSOM),
//! `compatibility_check` (the REST function, with the OData URL syntax in `odata`),
//! `site_guard` (faults and the bearer check both of them pass first), `identity` (the
//! sign-in endpoints) and `control` (`/_emulator/`).

pub mod certificate_authority;
pub mod compatibility_check;
pub mod control;
pub mod front;
pub mod identity;
pub mod migration_control;
pub mod misdirection;
pub mod odata;
pub mod process_query;
pub mod proxy;
pub mod replies;
pub mod routes;
pub mod server;
pub mod site_guard;
pub mod tls;

use hyper::Response;

/// What to do with the connection after a request.
pub enum Outcome {
    Respond(Response<replies::Body>),
    /// Close the connection without answering (the `drop` fault).
    Drop,
}
