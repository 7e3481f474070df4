//! A fake recipient system: an HTTP server on a free port that records every request and
//! answers with a status the test chooses (CORE-03 delivery tests).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

#[derive(Debug, Clone)]
pub struct PeerRequest {
    pub path: String,
    /// Header names lower-case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct PeerState {
    status: AtomicU16,
    requests: Mutex<Vec<PeerRequest>>,
}

pub struct FakePeer {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    state: Arc<PeerState>,
}

async fn record(req: HttpRequest, body: web::Bytes, state: web::Data<PeerState>) -> HttpResponse {
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    state.requests.lock().expect("peer lock").push(PeerRequest {
        path: req.path().to_owned(),
        headers,
        body: body.to_vec(),
    });
    let status = state.status.load(Ordering::SeqCst);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("a status")).finish()
}

impl FakePeer {
    /// A peer answering every request with `status`.
    pub async fn start(status: u16) -> FakePeer {
        let state = Arc::new(PeerState::default());
        state.status.store(status, Ordering::SeqCst);
        let data = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(64 * 1024 * 1024))
                .default_service(web::to(record))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("binding the fake peer");
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        FakePeer {
            url: format!("http://127.0.0.1:{port}"),
            state,
        }
    }

    pub fn set_status(&self, status: u16) {
        self.state.status.store(status, Ordering::SeqCst);
    }

    pub fn requests(&self) -> Vec<PeerRequest> {
        self.state.requests.lock().expect("peer lock").clone()
    }
}
