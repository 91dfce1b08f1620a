//! Lists the migration files, `src/m<date>_<number>_<what>.rs`, in name order for `lib.rs`, so
//! that a migration is one new file: its name's date and number are its place in the order.
use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let src =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("src");
    println!("cargo::rerun-if-changed={}", src.display());
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&src)
        .expect("read migration/src")
        .map(|e| e.expect("read migration/src").path())
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?.to_owned();
            let is_migration = path.extension()? == "rs"
                && stem.starts_with('m')
                && stem[1..].starts_with(|c: char| c.is_ascii_digit());
            is_migration.then_some((stem, path))
        })
        .collect();
    files.sort();
    let mut out = String::from("migrations! {\n");
    for (stem, path) in &files {
        writeln!(
            out,
            "    #[path = {:?}] mod {stem};",
            path.display().to_string()
        )
        .expect("a String");
    }
    out.push_str("}\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("migrations.rs");
    std::fs::write(dest, out).expect("write migrations.rs");
}
