//! INFO-01: "Afprøv link" — the server fetches the authority's privacy-policy link and reports
//! what came back, without ever reaching an internal address (server-side request forgery).
//!
//! Every hop (the link and at most three redirects) goes through core's guarded outbound
//! client ([`adgang_core::outbound`]): the scheme and an IP literal are checked before the
//! request, a name's every address when it is resolved, and the connection uses exactly the
//! addresses checked, so a name that answers differently the second time (DNS rebinding)
//! cannot redirect the connection. Redirects are never followed by the HTTP client itself.

use std::time::{Duration, Instant};

use adgang_api_types::{LinkCheck, LinkProblem};
use adgang_core::outbound::{OutboundError, Refusal};
use adgang_core::Outbound;

/// How link checks run (app data of the module).
#[derive(Clone)]
pub struct LinkChecker {
    /// The server's one outbound client (its policy: the deployment's).
    pub outbound: Outbound,
    /// For the whole check, all hops together.
    pub timeout: Duration,
}

/// INFO-01: at most three redirects.
pub const MAX_REDIRECTS: u8 = 3;

/// One hop's outcome.
enum Hop {
    Answered(reqwest::Response),
    Refused(LinkProblem),
}

fn problem(err: OutboundError) -> LinkProblem {
    match err {
        OutboundError::Refused(Refusal::Scheme) => LinkProblem::HttpsRequired,
        OutboundError::Refused(Refusal::UnknownHost) => LinkProblem::UnknownHost,
        OutboundError::Refused(Refusal::ForbiddenAddress) => LinkProblem::ForbiddenAddress,
        OutboundError::Timeout => LinkProblem::Timeout,
        OutboundError::Connect | OutboundError::Other(_) => LinkProblem::ConnectionFailed,
    }
}

impl LinkChecker {
    async fn hop(&self, url: &url::Url, budget: Duration) -> Hop {
        let request = match self.outbound.request(reqwest::Method::GET, url) {
            Ok(request) => request.timeout(budget).header(
                reqwest::header::USER_AGENT,
                "Administrativ-Adgang-linktest/1",
            ),
            Err(err) => return Hop::Refused(problem(err)),
        };
        match self.outbound.send(request).await {
            Ok(response) => Hop::Answered(response),
            Err(err) => Hop::Refused(problem(err)),
        }
    }

    /// INFO-01: fetches `url` (already validated as a URL) and follows at most three redirects,
    /// each checked like the first; reports the last status, or the problem that stopped it.
    pub async fn check(&self, url: url::Url) -> LinkCheck {
        let started = Instant::now();
        let original = url.to_string();
        let mut current = url;
        let mut redirects = 0u8;
        let mut status = None;
        let problem = loop {
            let Some(budget) = self.timeout.checked_sub(started.elapsed()) else {
                break Some(LinkProblem::Timeout);
            };
            let response = match self.hop(&current, budget).await {
                Hop::Answered(response) => response,
                Hop::Refused(problem) => break Some(problem),
            };
            status = Some(response.status().as_u16());
            if !response.status().is_redirection() {
                break (!response.status().is_success()).then_some(LinkProblem::HttpStatus);
            }
            if redirects == MAX_REDIRECTS {
                break Some(LinkProblem::TooManyRedirects);
            }
            let next = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|location| current.join(location).ok());
            match next {
                Some(next) => {
                    current = next;
                    redirects += 1;
                }
                None => break Some(LinkProblem::InvalidRedirect),
            }
        };
        LinkCheck {
            url: original,
            ok: problem.is_none(),
            status,
            final_url: current.to_string(),
            redirects,
            problem,
            elapsed_ms: started.elapsed().as_millis().try_into().unwrap_or(u64::MAX),
        }
    }
}
