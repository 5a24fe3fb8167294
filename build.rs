// include_dir! does not notice new or changed files on stable Rust; without this, editing a
// template would not rebuild the binary that embeds it.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=presets");
}
