//! `spo-emulator`: a local fake of the SharePoint Online tenant admin endpoint (CSOM
//! ProcessQuery and the cross-tenant compatibility check) and of the Microsoft identity
//! platform endpoints that sign in to it, for tests and demos. See README.md.
//!
//! The binary (`main.rs`) only parses the command line and calls [`run`].
//!
//! Layers, bottom up; a module uses only modules below it (`tests::layers_point_one_way`
//! checks this):
//!
//! 1. `wire`: the enums and failure codes that travel on the wire.
//!    `faults`, `monitoring` (request log, counters) and `identity` (the identity platform
//!    and its tokens) stand on their own.
//! 2. `tenant`: tenants, relations, verification and compatibility rules, host URLs, the
//!    state file.
//! 3. `csom`: ProcessQuery requests, dispatch to the Tenant methods, answers.
//! 4. `emulator`: the state one running emulator shares between connections.
//! 5. `http`: listener, TLS, routing, and the endpoints.
//! 6. `cli` (the flags), then `startup` (bind, print the start-up line, serve).

mod cli;
mod csom;
mod emulator;
mod faults;
mod http;
mod identity;
mod monitoring;
mod startup;
mod tenant;
mod wire;

pub use cli::Cli;

/// Runs the emulator until SIGINT or SIGTERM. `Err` is a start-up failure, to print.
pub fn run(cli: Cli) -> Result<(), String> {
    // Two workers are plenty for a local emulator and leave the cores to the tests.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(startup::run(cli))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Each top-level module and its layer; a module may use only lower layers.
    const LAYERS: &[(&str, u8)] = &[
        ("wire", 1),
        ("faults", 1),
        ("monitoring", 1),
        ("identity", 1),
        ("tenant", 2),
        ("csom", 3),
        ("emulator", 4),
        ("http", 5),
        ("cli", 6),
        ("startup", 7),
    ];

    fn layer(module: &str) -> u8 {
        LAYERS
            .iter()
            .find(|(name, _)| *name == module)
            .map(|(_, layer)| *layer)
            .unwrap_or_else(|| panic!("module `{module}` has no layer in LAYERS"))
    }

    fn source_files(folder: &Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                source_files(&path, files);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }

    #[test]
    fn layers_point_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        source_files(&src, &mut files);
        let mut upward = Vec::new();
        for file in files {
            let relative = file.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let module = first.to_str().unwrap().trim_end_matches(".rs");
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for (index, _) in text.match_indices("crate::") {
                let used: String = text[index + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if used.is_empty() || used == module {
                    continue;
                }
                if layer(&used) >= layer(module) {
                    upward.push(format!("{} uses crate::{used}", relative.display()));
                }
            }
        }
        assert!(upward.is_empty(), "upward or sideways uses: {upward:#?}");
    }
}
