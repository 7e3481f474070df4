//! Deep links and their QR codes (CS-04). A point's link opens a draft to that point on the
//! audience's platform; a group's link lists its points. A group's audiences are those of the
//! usable points in it (sub-groups included); without any, it has no links yet.

use adgang_api_types::{Audience, DeepLink};

/// The platforms' "write to" pages (configuration: `ADGANG_CITIZEN_PLATFORM_URL`,
/// `ADGANG_BUSINESS_PLATFORM_URL`).
#[derive(Debug, Clone)]
pub struct PlatformUrls {
    pub citizens: String,
    pub businesses: String,
}

impl Default for PlatformUrls {
    fn default() -> Self {
        PlatformUrls {
            citizens: "https://www.borger.dk/mit-overblik/digital-post/skriv".to_owned(),
            businesses: "https://virk.dk/digital-post/skriv".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Point(&'a str),
    Group(&'a str),
}

impl PlatformUrls {
    fn base(&self, audience: Audience) -> &str {
        match audience {
            Audience::Citizens => &self.citizens,
            Audience::Businesses => &self.businesses,
        }
    }

    pub fn link(&self, audience: Audience, target: Target<'_>) -> DeepLink {
        let (key, id) = match target {
            Target::Point(id) => ("kontaktpunkt", id),
            Target::Group(id) => ("kontaktgruppe", id),
        };
        let base = self.base(audience).trim_end_matches('/');
        let separator = if base.contains('?') { '&' } else { '?' };
        DeepLink {
            audience,
            url: format!("{base}{separator}{key}={id}"),
        }
    }

    /// One link per audience, in `Audience` order.
    pub fn links(&self, audiences: &[Audience], target: Target<'_>) -> Vec<DeepLink> {
        let mut audiences = audiences.to_vec();
        audiences.sort();
        audiences.dedup();
        audiences
            .into_iter()
            .map(|a| self.link(a, target))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cs_04_one_link_per_audience() {
        let urls = PlatformUrls::default();
        let links = urls.links(
            &[Audience::Businesses, Audience::Citizens],
            Target::Point("p-1"),
        );
        assert_eq!(
            links.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(),
            vec![
                "https://www.borger.dk/mit-overblik/digital-post/skriv?kontaktpunkt=p-1",
                "https://virk.dk/digital-post/skriv?kontaktpunkt=p-1",
            ]
        );
        assert!(urls
            .link(Audience::Citizens, Target::Group("g"))
            .url
            .ends_with("?kontaktgruppe=g"));
    }
}
