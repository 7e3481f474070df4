//! The SPA's release build, without Trunk or an installed wasm-bindgen (issue 11):
//!
//! 1. `cargo build --profile wasm-release --target wasm32-unknown-unknown --features split`,
//!    linked with `--emit-relocs` so that the splitter can move code between modules;
//! 2. the splitter (`wasm_split_cli_support`, the library behind Leptos' lazy routes) cuts the
//!    module pages (`#[wasm_split]` functions in `frontend/src/pages/*/mod.rs`) into chunks that
//!    the browser fetches when a page first needs them;
//! 3. wasm-bindgen as a library (`wasm-bindgen-cli-support`, the same `=0.2.130` as the
//!    frontend's `wasm-bindgen`) writes the JS glue for the main module;
//! 4. `wasm-opt -Oz` (npm binaryen) shrinks every `.wasm`; then the split files are packed,
//!    one pack per module and one for the code four or more modules share, and the loader
//!    takes each file from its pack (`spa_packs.rs`, issue 32 item 14);
//! 5. the design system's CSS and ours become one stylesheet; fonts and images are copied;
//! 6. everything the page loads goes into `app-<content hash>/` (served with a year's caching)
//!    and `index.html` (never cached) points there; every file there gets a `.br` and a `.gz`
//!    beside it, which the server picks by `Accept-Encoding`.
//!
//! `trunk serve` (frontend development, `frontend/index.html` + `Trunk.toml`) keeps working:
//! it builds without the `split` feature, one WASM with the same pages.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::{cargo, status, step, tools::BuildEnv};

/// The stem of the main module's files (`adgang.js`, `adgang_bg.wasm`).
const STEM: &str = "adgang";
/// The stylesheet: DKFDS (Virk theme) first, then ours.
const STYLESHEETS: [&str; 2] = [
    "node_modules/dkfds/dist/css/dkfds-virkdk.min.css",
    "style.css",
];
/// Copied as they are; the stylesheet refers to them as `../fonts/…` and `../img/…`.
const ASSET_DIRS: [&str; 2] = [
    "node_modules/dkfds/dist/fonts",
    "node_modules/dkfds/dist/img",
];
/// Formats that are compressed already: no `.br`/`.gz` beside them.
const PRECOMPRESSED_FORMATS: [&str; 8] = ["woff", "woff2", "png", "jpg", "gif", "webp", "br", "gz"];

pub fn build(root: &Path, env: &BuildEnv) -> Result<()> {
    step("Building the SPA (release: split into lazily loaded chunks, wasm-opt, precompressed)");
    let started = std::time::Instant::now();
    let frontend = root.join("frontend");
    let work = root.join("target/spa");
    let _ = std::fs::remove_dir_all(&work);
    let split_dir = work.join("split");
    let bundle_dir = work.join("bundle");
    std::fs::create_dir_all(&bundle_dir).context("creating target/spa")?;

    let wasm = compile(root, env)?;
    let mut lap = Lap::start();
    let chunks = split(&wasm, &split_dir)?;
    std::fs::write(
        work.join("chunks.json"),
        serde_json::to_string_pretty(&chunks)?,
    )?;
    lap.done("split");
    bindgen(&split_dir.join("main.wasm"), &bundle_dir)?;
    lap.done("wasm-bindgen");
    for entry in std::fs::read_dir(&split_dir)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // The chunks and their loader sit beside the glue: the loader fetches
        // `new URL("./<chunk>.wasm", import.meta.url)`.
        if name != "main.wasm" {
            std::fs::copy(&path, bundle_dir.join(&*name))?;
        }
    }
    let wasm_files: Vec<PathBuf> = files_in(&bundle_dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    on_every_core(wasm_files, |path| wasm_opt(env, &path))?;
    lap.done("wasm-opt");
    let packs = crate::spa_packs::pack(&bundle_dir, &chunks)?;
    std::fs::write(
        work.join("packs.json"),
        serde_json::to_string_pretty(&packs)?,
    )?;
    eprintln!("    {} pack(s)", packs.len());
    lap.done("packs");
    let mut css = String::new();
    for sheet in STYLESHEETS {
        let path = frontend.join(sheet);
        css.push_str(&std::fs::read_to_string(&path).with_context(|| format!("reading {sheet}"))?);
        css.push('\n');
    }
    std::fs::write(bundle_dir.join("app.css"), css)?;

    let bundle = format!("app-{}", content_hash(&bundle_dir)?);
    let dist = frontend.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).context("creating frontend/dist")?;
    std::fs::rename(&bundle_dir, dist.join(&bundle))
        .or_else(|_| copy_dir(&bundle_dir, &dist.join(&bundle)))?;
    for dir in ASSET_DIRS {
        let from = frontend.join(dir);
        let name = from.file_name().context("asset dir name")?;
        copy_dir(&from, &dist.join(name)).with_context(|| format!("copying {dir}"))?;
    }
    std::fs::write(dist.join("index.html"), index_html(&bundle))?;
    // At the root, where browsers ask for it on every page (the test portal's too).
    std::fs::copy(frontend.join("favicon.ico"), dist.join("favicon.ico"))
        .context("copying favicon.ico")?;
    // What the page loads; fonts come as woff2 (compressed already) and images are few.
    precompress(&dist.join(&bundle))?;
    lap.done("copy + brotli/gzip");
    eprintln!(
        "    frontend/dist/{bundle} in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Prints how long each step took since the previous one (the build's cost is worth seeing).
struct Lap(std::time::Instant);

impl Lap {
    fn start() -> Lap {
        Lap(std::time::Instant::now())
    }

    fn done(&mut self, step: &str) {
        eprintln!("    {step}: {:.1} s", self.0.elapsed().as_secs_f64());
        self.0 = std::time::Instant::now();
    }
}

/// Step 1: the frontend's WASM, with relocations kept for the splitter.
fn compile(root: &Path, env: &BuildEnv) -> Result<PathBuf> {
    let mut cmd = cargo(env);
    cmd.args([
        "build",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "adgang-frontend",
        "--bin",
        "adgang-frontend",
        "--features",
        "split",
    ])
    // RUSTFLAGS replaces `.cargo/config.toml`'s target rustflags: repeat `erase_components`.
    .env(
        "RUSTFLAGS",
        "--cfg erase_components -Clink-args=--emit-relocs",
    );
    status(&mut cmd, "cargo build (frontend, wasm32)")?;
    Ok(root.join("target/wasm32-unknown-unknown/wasm-release/adgang-frontend.wasm"))
}

/// Step 2: main module + one chunk per split module + the loader `__wasm_split.js`.
/// Returns, per split (`lazy_pages!`'s chunk name), the files its first use fetches.
fn split(wasm: &Path, out: &Path) -> Result<Chunks> {
    let input = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let main_out = out.join("main.wasm");
    let main_module = format!("./{STEM}.js");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = out;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    let result =
        wasm_split_cli_support::transform(options).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    eprintln!("    {} lazily loaded chunk(s)", result.split_modules.len());
    Ok(result.prefetch_map.into_iter().collect())
}

/// Split name → the `.wasm` stems its first use fetches (its own and the shared ones).
pub type Chunks = std::collections::BTreeMap<String, Vec<String>>;

/// Step 3: the JS glue. `keep_lld_exports`: the chunks link against the main module's
/// functions by their linker names.
fn bindgen(main: &Path, out: &Path) -> Result<()> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(main)
        .out_name(STEM)
        .web(true)?
        .typescript(false)
        .keep_lld_exports(true)
        .demangle(false)
        .remove_producers_section(true);
    bindgen.generate(out).context("wasm-bindgen")?;
    Ok(())
}

/// Step 4: `wasm-opt -Oz` in place, with the features rustc 1.95 emits for wasm32 by default.
fn wasm_opt(env: &BuildEnv, wasm: &Path) -> Result<()> {
    let mut cmd = Command::new("wasm-opt");
    env.apply(&mut cmd);
    cmd.args([
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
    ])
    .arg(wasm)
    .arg("-o")
    .arg(wasm);
    status(&mut cmd, "wasm-opt")
}

/// The first 16 hex digits of SHA-256 over the bundle's file names and contents.
fn content_hash(dir: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update(std::fs::read(&file)?);
    }
    Ok(hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The page: the stylesheet, the main module preloaded, one inline module script that starts
/// the app (its hash goes into the server's CSP).
fn index_html(bundle: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="da">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Administrativ Adgang</title>
    <link rel="icon" href="/favicon.ico" />
    <link rel="stylesheet" href="/{bundle}/app.css" />
    <link rel="modulepreload" href="/{bundle}/{STEM}.js" />
    <link rel="preload" href="/{bundle}/{STEM}_bg.wasm" as="fetch" type="application/wasm" crossorigin />
    <script type="module">import init from "/{bundle}/{STEM}.js"; init({{ module_or_path: "/{bundle}/{STEM}_bg.wasm" }});</script>
  </head>
  <body></body>
</html>
"#
    )
}

/// The files (not directories) directly in `dir`.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    Ok(files)
}

/// Runs `work` on every item, one thread per core (wasm-opt and brotli are the slow steps).
fn on_every_core<T: Send>(items: Vec<T>, work: impl Fn(T) -> Result<()> + Sync) -> Result<()> {
    let queue = std::sync::Mutex::new(items);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| loop {
                    let item = queue.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.pop();
                    match item {
                        Some(item) => work(item)?,
                        None => return Ok(()),
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().map_err(|_| anyhow::anyhow!("a worker panicked"))?)
    })
}

/// Step 6: `.br` (quality 11) and `.gz` (level 9) beside every file in `dir`.
pub fn precompress(dir: &Path) -> Result<()> {
    let files: Vec<PathBuf> = files_in(dir)?
        .into_iter()
        .filter(|path| {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            !PRECOMPRESSED_FORMATS.contains(&ext.as_str())
        })
        .collect();
    on_every_core(files, |path| compress(&path))
}

fn compress(path: &Path) -> Result<()> {
    let data = std::fs::read(path)?;
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut br, &params)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data)?;
    let gz = gz.finish()?;
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    std::fs::write(beside(".br"), br)?;
    std::fs::write(beside(".gz"), gz)?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
