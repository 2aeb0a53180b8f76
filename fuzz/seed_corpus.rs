//! Writes the fuzz targets' seed corpus into the directory given (`make fuzz` gives
//! `fuzz/seeds`): the example models and the test fixtures as they are, and each valid one in
//! the other format too, as `bartizan::robustness::seed_corpus` lists them; and the format's
//! words as a libFuzzer dictionary into the file given (`fuzz/bartizan.dict`).

use std::path::{Path, PathBuf};

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(dir), Some(dictionary)) = (args.next(), args.next()) else {
        eprintln!("usage: fuzz-seed-corpus SEED-DIR DICTIONARY");
        std::process::exit(3);
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = bartizan::robustness::seed_corpus(root);
    std::fs::create_dir_all(&dir).expect("the seed directory is created");
    for (name, bytes) in &seeds {
        std::fs::write(dir.join(name), bytes).expect("a seed is written");
    }
    std::fs::write(&dictionary, bartizan::robustness::dictionary())
        .expect("the dictionary is written");
    println!(
        "{} seeds in {}, the dictionary in {}",
        seeds.len(),
        dir.display(),
        dictionary.display()
    );
}
