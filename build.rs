//! Writes include/spo_crosstenant.h from the exports in src/ffi with cbindgen.
//! The header is committed; it is rewritten only when its text changes, so a build does not
//! touch it needlessly, and CI fails when a build leaves it different from the commit.

use std::path::PathBuf;

fn main() {
    let crate_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");

    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen can read the C ABI in src/ffi");

    let mut text = Vec::new();
    bindings.write(&mut text);
    let header = crate_dir.join("include").join("spo_crosstenant.h");
    if std::fs::read(&header).ok().as_deref() != Some(text.as_slice()) {
        std::fs::create_dir_all(header.parent().expect("header has a folder"))
            .expect("include/ can be created");
        std::fs::write(&header, text).expect("include/spo_crosstenant.h can be written");
    }
}
