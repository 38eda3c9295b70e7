fn main() {
    // The bundled articles are embedded with include_dir; rebuild when any changes.
    println!("cargo:rerun-if-changed=articles");
}
