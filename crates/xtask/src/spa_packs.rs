//! Issue 32 item 14: a module's first open costs at most two requests, not 47–169.
//!
//! The splitter gives every set of modules that shares code its own chunk (255 files for 14
//! modules), and its loader fetches each with its own request: Systemtilslutning fetched 171
//! files. Here, after wasm-opt, the files are packed into
//!
//! * `pack_common.bin`: the chunks at least [`COMMON_MIN`] modules use — fetched once, by the
//!   first module opened;
//! * `pack_<module>.bin`: the module's own split file and every other chunk it uses (a chunk that
//!   two or three modules use is in each of their packs: a few KB fetched twice, but never
//!   instantiated twice — the loader's memo decides that, not the pack);
//!
//! and the loader (`__wasm_split.js`) is rewritten to take each file from its pack: one fetch
//! per pack (memoised; a failed fetch is forgotten, so the next open tries again), the file's
//! bytes sliced out and instantiated as before. The individual `.wasm` files leave the bundle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};

use crate::spa::Chunks;

/// A chunk that this many modules or more use goes into the common pack.
const COMMON_MIN: usize = 4;

/// The common pack's name (`pack_common.bin`).
const COMMON: &str = "common";

/// Pack name → the file stems in it, in order (`target/spa/packs.json`, read by the bench).
pub type Packs = BTreeMap<String, Vec<String>>;

/// The packs of the last build (`target/spa/packs.json`).
pub fn packs(root: &Path) -> Result<Packs> {
    let path = root.join("target/spa/packs.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (build the SPA first)", path.display()))?;
    Ok(serde_json::from_str(&text)?)
}

/// The packs a module's first open fetches (the common one only if it holds anything).
pub fn first_open(packs: &Packs, module: &str) -> Vec<String> {
    let mut fetched = vec![format!("pack_{module}.bin")];
    if packs.get(COMMON).is_some_and(|c| !c.is_empty()) {
        fetched.insert(0, format!("pack_{COMMON}.bin"));
    }
    fetched
}

/// Packs the split files in `bundle` (after wasm-opt) and rewrites the loader to use them.
pub fn pack(bundle: &Path, chunks: &Chunks) -> Result<Packs> {
    let mut users: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (module, stems) in chunks {
        for stem in stems {
            users.entry(stem).or_default().insert(module);
        }
    }
    let common: Vec<String> = users
        .iter()
        .filter(|(stem, modules)| stem.starts_with("chunk_") && modules.len() >= COMMON_MIN)
        .map(|(stem, _)| (*stem).to_owned())
        .collect();
    ensure!(
        !chunks.contains_key(COMMON),
        "a chunk is named {COMMON:?}, the common pack's name: rename it"
    );
    let mut packs = Packs::new();
    for (module, stems) in chunks {
        let own: Vec<String> = stems
            .iter()
            .filter(|stem| !common.contains(stem))
            .cloned()
            .collect();
        ensure!(
            own.contains(&format!("split_{module}")),
            "the split map does not name split_{module} for {module}"
        );
        packs.insert(module.clone(), own);
    }
    packs.insert(COMMON.to_owned(), common);

    // pack → stem → [offset, length]
    let mut index: BTreeMap<String, BTreeMap<String, [usize; 2]>> = BTreeMap::new();
    for (name, stems) in &packs {
        let mut bytes = Vec::new();
        let entries = index.entry(name.clone()).or_default();
        for stem in stems {
            let path = bundle.join(format!("{stem}.wasm"));
            let file =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            entries.insert(stem.clone(), [bytes.len(), file.len()]);
            bytes.extend_from_slice(&file);
        }
        std::fs::write(bundle.join(format!("pack_{name}.bin")), bytes)?;
    }
    let loader_path = bundle.join("__wasm_split.js");
    let loader = std::fs::read_to_string(&loader_path).context("reading the split loader")?;
    std::fs::write(&loader_path, rewrite_loader(&loader, &index)?)?;
    for stem in users.keys() {
        std::fs::remove_file(bundle.join(format!("{stem}.wasm")))?;
    }
    Ok(packs)
}

/// What the loader needs to take a file from its pack; put before its first line of code.
const PRELUDE: &str = r#"
// Packed by `cargo xtask spa` (crates/xtask/src/spa_packs.rs): each file is a slice of a pack.
let __currentPack = undefined;
const __packFetches = {};
function __fetchPack(pack) {
    let fetching = __packFetches[pack];
    if (fetching === undefined) {
        fetching = fetch(new URL(`./pack_${pack}.bin`, import.meta.url)).then(r => {
            if (!r.ok) throw new Error(`pack_${pack}.bin: ${r.status}`);
            return r.arrayBuffer();
        });
        fetching.catch(() => { if (__packFetches[pack] === fetching) delete __packFetches[pack]; });
        __packFetches[pack] = fetching;
    }
    return fetching;
}
function __part(stem) {
    const pack = (__currentPack !== undefined && stem in __packs[__currentPack]) ? __currentPack
        : ("common" in __packs && stem in __packs.common) ? "common"
        : undefined;
    if (pack === undefined) return Promise.reject(new Error(`${stem}: in no pack of this load`));
    const [offset, length] = __packs[pack][stem];
    return __fetchPack(pack).then(buffer => new Response(buffer.slice(offset, offset + length),
        { headers: { "Content-Type": "application/wasm" } }));
}
"#;

/// The loader, with every file fetched from its pack and each module's loader naming its
/// pack. Fails when the generated loader no longer has the shape this expects (the splitter
/// is pinned; a new version must be looked at).
fn rewrite_loader(
    loader: &str,
    index: &BTreeMap<String, BTreeMap<String, [usize; 2]>>,
) -> Result<String> {
    const MAKE_LOAD: &str = "function makeLoad(fetcher, deps) {\n    const loader = async () => {\n        const parallelStuff = deps.map(d => d());";
    ensure!(
        loader.contains(MAKE_LOAD),
        "the split loader's makeLoad has changed"
    );
    let mut text = loader.replace(
        MAKE_LOAD,
        "function makeLoad(fetcher, deps, pack) {\n    const loader = async () => {\n        // The module's pack holds its chunks: they are taken from it.\n        if (pack !== undefined) __currentPack = pack;\n        const parallelStuff = deps.map(d => d());",
    );
    let mut fetches = 0;
    for stems in index.values() {
        for stem in stems.keys() {
            let fetch = format!("fetch(new URL(\"./{stem}.wasm\", import.meta.url))");
            if text.contains(&fetch) {
                text = text.replace(&fetch, &format!("__part(\"{stem}\")"));
                fetches += 1;
            }
        }
    }
    ensure!(
        !text.contains(".wasm\", import.meta.url)"),
        "the split loader fetches a file that is in no pack"
    );
    let mut out = String::with_capacity(text.len() + 4096);
    let mut rest = text.as_str();
    const EXPORT: &str = "export const __wasm_split_load_";
    while let Some(at) = rest.find(EXPORT) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let name_end = from[EXPORT.len()..]
            .find(' ')
            .context("a module loader without a name")?;
        let module = &from[EXPORT.len()..EXPORT.len() + name_end];
        let end = from
            .find("]));")
            .context("a module loader without its dependencies")?;
        out.push_str(&from[..end]);
        out.push_str(&format!("], \"{module}\"));"));
        rest = &from[end + "]));".len()..];
    }
    out.push_str(rest);
    let first_code = out
        .find("\nlet sharedImports")
        .context("the split loader's shared imports have moved")?;
    let packs = serde_json::to_string(index)?;
    out.insert_str(first_code, &format!("\nconst __packs = {packs};{PRELUDE}"));
    if fetches == 0 {
        bail!("no file of the split loader was found in a pack");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER: &str = "import { initSync } from \"./adgang.js\";\n\nlet sharedImports = undefined;\nfunction makeLoad(fetcher, deps) {\n    const loader = async () => {\n        const parallelStuff = deps.map(d => d());\n    };\n}\nconst __chunk_1 = makeLoad(() => {\n    const src = fetch(new URL(\"./chunk_1.wasm\", import.meta.url));\n}\n, []);\nexport const __wasm_split_load_systems = wrapAsyncCb(makeLoad(() => {\n    const src = fetch(new URL(\"./split_systems.wasm\", import.meta.url));\n}\n, [__chunk_1]));\n";

    #[test]
    fn issue_32_every_file_comes_from_a_pack_and_each_module_names_its_own() {
        let mut index = BTreeMap::new();
        index.insert(
            "systems".to_owned(),
            BTreeMap::from([("split_systems".to_owned(), [0, 10])]),
        );
        index.insert(
            "common".to_owned(),
            BTreeMap::from([("chunk_1".to_owned(), [0, 5])]),
        );
        let out = rewrite_loader(LOADER, &index).unwrap();
        assert!(!out.contains(".wasm\", import.meta.url)"), "{out}");
        assert!(out.contains("__part(\"chunk_1\")") && out.contains("__part(\"split_systems\")"));
        assert!(out.contains("[__chunk_1], \"systems\"));"), "{out}");
        assert!(out.contains("if (pack !== undefined) __currentPack = pack;"));
        assert!(out.find("const __packs").unwrap() < out.find("let sharedImports").unwrap());
    }

    #[test]
    fn issue_32_a_loader_of_another_shape_fails_the_build() {
        let index = BTreeMap::new();
        assert!(rewrite_loader("function makeLoad(a) {}", &index).is_err());
    }
}
