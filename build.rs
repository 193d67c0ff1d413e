//! Build script: front-codes the lexicon tables (`src/core/nlp/lexicon/data/*.tsv`) into
//! `$OUT_DIR/lexicon/*.fc`, the form the binary embeds (smaller gzip download for the
//! worker wasm; see `src/core/nlp/lexicon/frontcode.rs`). The `.tsv` files stay the
//! source of truth, readable and diffable.

#[path = "src/core/nlp/lexicon/frontcode.rs"]
#[allow(dead_code)]
mod frontcode;

use std::path::PathBuf;

const TABLES: [&str; 9] = ["places", "norp", "given", "surnames", "orgs", "org_words", "roles", "honorifics", "common"];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/core/nlp/lexicon/frontcode.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("lexicon");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    for name in TABLES {
        let src = format!("src/core/nlp/lexicon/data/{name}.tsv");
        println!("cargo:rerun-if-changed={src}");
        let tsv = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let dst = out.join(format!("{name}.fc"));
        std::fs::write(&dst, frontcode::encode(&tsv)).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
    }
}
