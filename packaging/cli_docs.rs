//! Writes what is generated from the command line's declaration into a folder: shell
//! completions (bash, zsh, fish, PowerShell) under `completions/` and the man pages under `man/`
//! (`bartizan.1` and one page per subcommand). `make dist` ships them in the CLI's tarball and
//! the Linux packages.
//!
//!     cargo run --example cli-docs -- OUT_DIR

use std::path::{Path, PathBuf};
use std::{env, fs, io};

use clap_complete::Shell;

fn main() -> io::Result<()> {
    let Some(out) = env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cli-docs OUT_DIR");
        std::process::exit(3);
    };
    let command = bartizan::cli::command();

    let completions = out.join("completions");
    fs::create_dir_all(&completions)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
        let path =
            clap_complete::generate_to(shell, &mut command.clone(), "bartizan", &completions)?;
        println!("{}", path.display());
    }

    let man = out.join("man");
    fs::create_dir_all(&man)?;
    write_man_pages(&command, &man)
}

/// `bartizan.1`, then `bartizan-check.1` and so on for each visible subcommand.
fn write_man_pages(command: &clap::Command, dir: &Path) -> io::Result<()> {
    clap_mangen::generate_to(command.clone(), dir)?;
    for entry in fs::read_dir(dir)? {
        println!("{}", entry?.path().display());
    }
    Ok(())
}
