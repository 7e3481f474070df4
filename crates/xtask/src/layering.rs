//! The crate dependency rule of ARCHITECTURE.md, checked over `cargo metadata`:
//! `api-types ← core ← {registry, documents} ← module crates ← server`, and **no module crate
//! depends on another module crate** (they meet through ports in `core`). Every crate under
//! `crates/` that is not named below as infrastructure is a module crate, so a new module is
//! covered the day it is added.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Workspace crates that are not modules, with the workspace crates each may depend on.
const INFRASTRUCTURE: &[(&str, &[&str])] = &[
    ("adgang-api-types", &[]),
    ("adgang-core", &["adgang-api-types"]),
    ("adgang-registry", &["adgang-api-types", "adgang-core"]),
    ("adgang-documents", &["adgang-api-types", "adgang-core"]),
];

/// Crates that assemble the modules (and so may depend on all of them).
const ASSEMBLY: &[&str] = &[
    "adgang-server",
    "adgang-test-support",
    "adgang-migrations",
    "adgang-xtask",
    "adgang-e2e",
    "adgang-frontend",
];

/// What a module crate may depend on inside the workspace.
const MODULE_MAY_USE: &[&str] = &[
    "adgang-api-types",
    "adgang-core",
    "adgang-registry",
    "adgang-documents",
];

/// Every violation of the rule, as "crate → dependency" lines.
pub fn violations(workspace: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for (krate, deps) in workspace {
        if ASSEMBLY.contains(&krate.as_str()) {
            continue;
        }
        let allowed: &[&str] = INFRASTRUCTURE
            .iter()
            .find(|(name, _)| name == krate)
            .map(|(_, allowed)| *allowed)
            .unwrap_or(MODULE_MAY_USE);
        for dep in deps {
            if workspace.contains_key(dep) && !allowed.contains(&dep.as_str()) {
                let why =
                    if MODULE_MAY_USE.contains(&dep.as_str()) || ASSEMBLY.contains(&dep.as_str()) {
                        "against the dependency direction"
                    } else {
                        "a module crate depends on another module crate; declare a port in core"
                    };
                found.push(format!("{krate} → {dep} ({why})"));
            }
        }
    }
    found
}

/// The workspace's crates with the workspace crates each depends on (normal, dev and build).
fn workspace_graph(root: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let stdout = crate::output(
        crate::cargo(&crate::tools::BuildEnv::plain())
            .current_dir(root)
            .args([
                "metadata",
                "--format-version",
                "1",
                "--no-deps",
                "--offline",
            ]),
        "cargo metadata",
    )?;
    let metadata: serde_json::Value =
        serde_json::from_slice(&stdout).context("reading cargo metadata")?;
    let mut graph = BTreeMap::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or_default().to_owned();
        let deps = package["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["name"].as_str())
            .filter(|d| d.starts_with("adgang-"))
            .map(str::to_owned)
            .collect();
        graph.insert(name, deps);
    }
    Ok(graph)
}

pub fn check(root: &Path) -> Result<()> {
    let found = violations(&workspace_graph(root)?);
    if !found.is_empty() {
        bail!(
            "the crate dependency rule (ARCHITECTURE.md) is broken:\n  {}",
            found.join("\n  ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        edges
            .iter()
            .map(|(k, deps)| (k.to_string(), deps.iter().map(|d| d.to_string()).collect()))
            .collect()
    }

    #[test]
    fn a_module_depending_on_another_module_is_refused() {
        let g = graph(&[
            ("adgang-core", &["adgang-api-types"]),
            ("adgang-api-types", &[]),
            ("adgang-systems", &["adgang-core"]),
            ("adgang-contacts", &["adgang-core", "adgang-systems"]),
            ("adgang-server", &["adgang-contacts", "adgang-systems"]),
        ]);
        assert_eq!(
            violations(&g),
            vec!["adgang-contacts → adgang-systems (a module crate depends on another module crate; declare a port in core)"]
        );
    }

    #[test]
    fn infrastructure_may_not_reach_up() {
        let g = graph(&[
            ("adgang-api-types", &[]),
            ("adgang-core", &["adgang-api-types", "adgang-documents"]),
            ("adgang-documents", &["adgang-core"]),
            ("adgang-server", &["adgang-core"]),
        ]);
        assert_eq!(
            violations(&g),
            vec!["adgang-core → adgang-documents (against the dependency direction)"]
        );
    }

    #[test]
    fn the_workspace_keeps_the_rule() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let found = violations(&workspace_graph(&root).unwrap());
        assert!(found.is_empty(), "{found:#?}");
    }
}
