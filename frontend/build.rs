//! Generates the i18n catalogue from the per-module text files `src/i18n/<module>.{da,en}.json`
//! (`shell` for the shell and what several parts share, then one pair per module's pages): one
//! `Key` variant per entry and a `text(lang, key)` table. The build fails when a locale misses a
//! key the other has, or when two files define the same key, so a missing translation is a
//! compile error, never a blank label at run time.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

fn load(path: &Path) -> BTreeMap<String, String> {
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `<module>.<lang>.json` in `dir`, merged; a key in two files fails the build.
fn load_all(dir: &Path, lang: &str) -> (Vec<String>, BTreeMap<String, String>) {
    println!("cargo::rerun-if-changed={}", dir.display());
    let suffix = format!(".{lang}.json");
    let mut modules = Vec::new();
    let mut merged = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("reading src/i18n")
        .map(|e| e.expect("a dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Some(module) = name.strip_suffix(&suffix) else {
            continue;
        };
        modules.push(module.to_owned());
        for (key, text) in load(&path) {
            let clash = merged.insert(key.clone(), text);
            assert!(
                clash.is_none(),
                "i18n key {key:?} is defined twice (again in {name})"
            );
        }
    }
    (modules, merged)
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n");
    let (da_modules, da) = load_all(&dir, "da");
    let (en_modules, en) = load_all(&dir, "en");
    assert_eq!(
        da_modules, en_modules,
        "every module needs both a .da.json and a .en.json"
    );
    let only_da: Vec<_> = da.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !da.contains_key(*k)).collect();
    assert!(
        only_da.is_empty() && only_en.is_empty(),
        "i18n catalogues disagree: missing in English: {only_da:?}; missing in Danish: {only_en:?}"
    );
    for key in da.keys() {
        assert!(
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "i18n key {key:?} must be snake_case"
        );
    }

    let mut out = String::new();
    out.push_str("/// Every text in the UI. Generated from `src/i18n/<module>.{da,en}.json` by `build.rs`.\n");
    out.push_str("#[allow(non_camel_case_types)]\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Key {\n");
    for key in da.keys() {
        let _ = writeln!(out, "    {key},");
    }
    out.push_str("}\n\n");
    for (name, table) in [("DA", &da), ("EN", &en)] {
        let _ = writeln!(out, "const {name}: [&str; {}] = [", table.len());
        for value in table.values() {
            let _ = writeln!(out, "    {value:?},");
        }
        out.push_str("];\n\n");
    }
    out.push_str(
        "fn lookup(lang: Lang, key: Key) -> &'static str {\n    let table = match lang {\n        Lang::Da => &DA,\n        Lang::En => &EN,\n    };\n    table[key as usize]\n}\n",
    );
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("i18n.rs");
    std::fs::write(target, out).expect("writing the generated catalogue");
}
