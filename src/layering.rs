//! Checks the layering stated in the crate docs: reads every `src/**/*.rs`, collects the
//! top-level modules each file names through `crate::`, and fails on an edge that points
//! up a layer, on a cycle, or on a module missing from [`crate::LAYERS`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/auth/jwt.rs` → `auth`), or None for the
/// crate root and this test.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "layering")).then(|| name.to_owned())
}

fn identifier_at(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The top-level modules `text` names after `crate::`, including `crate::{a, b::c}`.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start => {
                        found.insert(identifier_at(&group[i..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(identifier_at(rest));
        }
    }
    found.retain(|name| {
        !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
    });
    found
}

fn layer_of(module: &str) -> Option<usize> {
    crate::LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
}

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(from) = module_of(&src, &file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let targets = edges.entry(from.clone()).or_default();
        targets.extend(crate_references(&text).into_iter().filter(|to| *to != from));
    }
    edges
}

#[test]
fn every_module_is_in_a_layer_and_uses_only_layers_below_or_its_own() {
    let mut problems = Vec::new();
    for (from, targets) in edges() {
        let Some(from_layer) = layer_of(&from) else {
            problems.push(format!("{from} is in no layer of crate::LAYERS"));
            continue;
        };
        for to in targets {
            match layer_of(&to) {
                None => problems.push(format!("{from} uses {to}, which is in no layer")),
                Some(to_layer) if to_layer > from_layer => problems.push(format!(
                    "{from} (layer {from_layer}) uses {to} (layer {to_layer}) above it"
                )),
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn no_two_modules_use_each_other_even_indirectly() {
    let edges = edges();
    // Depth-first search with colours: reaching a module still on the path is a cycle.
    fn visit(
        module: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Result<(), String> {
        if let Some(at) = path.iter().position(|m| m == module) {
            return Err(format!("cycle: {} -> {module}", path[at..].join(" -> ")));
        }
        if done.contains(module) {
            return Ok(());
        }
        path.push(module.to_owned());
        for next in edges.get(module).into_iter().flatten() {
            visit(next, edges, path, done)?;
        }
        path.pop();
        done.insert(module.to_owned());
        Ok(())
    }
    let mut done = BTreeSet::new();
    for module in edges.keys() {
        visit(module, &edges, &mut Vec::new(), &mut done).unwrap();
    }
}

#[test]
fn the_reference_reader_sees_groups_and_paths() {
    let found = crate_references(
        "use crate::csom::{a, b};\nuse crate::{error::Error, transport::{x, y}};\n let v = crate::version::X; // crate::Error",
    );
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        vec!["csom", "error", "transport", "version"]
    );
}

#[test]
fn the_reader_finds_the_edges_the_code_has() {
    // So that the checks above cannot pass by reading nothing.
    let edges = edges();
    for (from, to) in [
        ("ffi", "operations"),
        ("operations", "connection"),
        ("connection", "auth"),
        ("auth", "transport"),
        ("transport", "csom"),
        ("csom", "error"),
    ] {
        assert!(edges[from].contains(to), "{from} -> {to}: {edges:?}");
    }
    assert!(layer_of("ffi") > layer_of("connection"));
}

/// The files of `ffi`, in the order its docs state: each uses only files before it.
const FFI_FILES: &[&str] = &[
    "status",
    "text",
    "handle",
    "boundary",
    "result",
    "operation",
    "describe",
    "call",
    "sign_in",
    "connection",
];

#[test]
fn ffi_files_use_only_the_files_before_them() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("ffi");
    let mut problems = Vec::new();
    for (position, file) in FFI_FILES.iter().enumerate() {
        let text = std::fs::read_to_string(folder.join(format!("{file}.rs"))).unwrap();
        for (at, _) in text.match_indices("super::") {
            let name = identifier_at(&text[at + "super::".len()..]);
            match FFI_FILES.iter().position(|f| *f == name) {
                Some(used) if used >= position => problems.push(format!("{file} uses {name}")),
                _ => {}
            }
        }
    }
    let mut listed: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace(".rs", ""))
        .filter(|name| name != "mod")
        .collect();
    listed.sort();
    let mut declared: Vec<String> = FFI_FILES.iter().map(|f| (*f).to_owned()).collect();
    declared.sort();
    assert_eq!(
        listed, declared,
        "a file of src/ffi is missing from FFI_FILES"
    );
    assert!(problems.is_empty(), "{problems:#?}");
}
