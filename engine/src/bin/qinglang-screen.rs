//! `qinglang-screen`: compile term lists into rule packs and batch-screen JSONL.
//!
//! ```text
//! qinglang-screen compile TERMS.tsv -o PACK [--browser-out PACK] [--label LABEL] [--omit-protected]
//! qinglang-screen screen (--terms TERMS.tsv | --pack PACK) < reports.jsonl > findings.jsonl
//! ```
//! `screen` reads one `{"id": ..., "text": "..."}` per line and writes one line per input:
//! the id and the full screening result, or `{"line": N, "error": "..."}` for a bad line, and
//! goes on. Errors of the tool itself go to stderr with a non-zero exit.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use qinglang_engine::{CompileOptions, Engine, ProtectedInBrowser, Screening, TermList, compile};
use serde::Serialize;

const USAGE: &str = "usage:
  qinglang-screen compile TERMS.tsv -o PACK [--browser-out PACK] [--label LABEL] [--omit-protected]
      writes the server pack to PACK and the browser pack to --browser-out
      (default: PACK with `.browser` before its extension, e.g. demo.qlrp -> demo.browser.qlrp)
  qinglang-screen screen (--terms TERMS.tsv | --pack PACK) [--label LABEL]
      reads JSONL {\"id\": ..., \"text\": \"...\"} on stdin, writes one JSONL result per line";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("compile") => run_compile(&args[1..]),
        Some("screen") => run_screen(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Options common to both commands, parsed by hand: the tool has few and a parser crate
/// would cost more build time than it saves.
#[derive(Default)]
struct Options {
    positional: Vec<String>,
    output: Option<String>,
    browser_output: Option<String>,
    label: Option<String>,
    terms: Option<String>,
    pack: Option<String>,
    omit_protected: bool,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().cloned().ok_or_else(|| format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "-o" | "--output" => options.output = Some(value(arg)?),
            "--browser-out" => options.browser_output = Some(value(arg)?),
            "--label" => options.label = Some(value(arg)?),
            "--terms" => options.terms = Some(value(arg)?),
            "--pack" => options.pack = Some(value(arg)?),
            "--omit-protected" => options.omit_protected = true,
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}\n{USAGE}")),
            _ => options.positional.push(arg.clone()),
        }
    }
    Ok(options)
}

fn label_from_path(path: &str) -> String {
    std::path::Path::new(path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn browser_path(server: &str) -> String {
    let path = std::path::Path::new(server);
    match (path.file_stem(), path.extension()) {
        (Some(stem), Some(ext)) => path
            .with_file_name(format!("{}.browser.{}", stem.to_string_lossy(), ext.to_string_lossy()))
            .to_string_lossy()
            .into_owned(),
        _ => format!("{server}.browser"),
    }
}

fn read_term_list(path: &str) -> Result<TermList, String> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    TermList::parse_tsv(&source).map_err(|error| {
        let lines: Vec<String> = error.lines.iter().map(|l| format!("{path}:{l}")).collect();
        format!("{}\n{} bad line(s); nothing compiled", lines.join("\n"), error.lines.len())
    })
}

fn run_compile(args: &[String]) -> Result<(), String> {
    let options = parse_options(args)?;
    let [terms_path] = options.positional.as_slice() else {
        return Err(format!("compile needs exactly one TERMS.tsv\n{USAGE}"));
    };
    let output = options.output.clone().ok_or_else(|| format!("compile needs -o PACK\n{USAGE}"))?;
    let list = read_term_list(terms_path)?;
    let compile_options = CompileOptions {
        label: options.label.clone().unwrap_or_else(|| label_from_path(terms_path)),
        protected_in_browser: if options.omit_protected {
            ProtectedInBrowser::Omitted
        } else {
            ProtectedInBrowser::Hashed
        },
        hash_key: None,
    };
    let packs = compile(&list, &compile_options).map_err(|e| e.to_string())?;
    let browser_output = options.browser_output.clone().unwrap_or_else(|| browser_path(&output));
    std::fs::write(&output, &packs.server).map_err(|e| format!("{output}: {e}"))?;
    std::fs::write(&browser_output, &packs.browser).map_err(|e| format!("{browser_output}: {e}"))?;
    eprintln!(
        "{} terms, version {}: server pack {output} ({} bytes), browser pack {browser_output} ({} bytes)",
        list.entries.len(),
        packs.version,
        packs.server.len(),
        packs.browser.len()
    );
    Ok(())
}

#[derive(Serialize)]
struct Output<'a> {
    id: &'a serde_json::Value,
    #[serde(flatten)]
    screening: &'a Screening,
}

#[derive(Serialize)]
struct LineFailure<'a> {
    line: usize,
    error: &'a str,
}

fn run_screen(args: &[String]) -> Result<(), String> {
    let options = parse_options(args)?;
    let engine = match (&options.terms, &options.pack) {
        (Some(terms), None) => {
            let list = read_term_list(terms)?;
            let label = options.label.clone().unwrap_or_else(|| label_from_path(terms));
            Engine::from_term_list(&list, &label).map_err(|e| e.to_string())?
        }
        (None, Some(pack)) => {
            let bytes = std::fs::read(pack).map_err(|e| format!("{pack}: {e}"))?;
            Engine::from_pack(&bytes).map_err(|e| format!("{pack}: {e}"))?
        }
        _ => return Err(format!("screen needs exactly one of --terms or --pack\n{USAGE}")),
    };
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let write_err = |e: std::io::Error| format!("writing output: {e}");
    for (idx, line) in stdin.lock().lines().enumerate() {
        let line_no = idx + 1;
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                write_failure(&mut out, line_no, &format!("unreadable line: {e}")).map_err(write_err)?;
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse_input(&line) {
            Ok((id, text)) => {
                // Batch output keeps the fingerprint (what the worker stores with a report).
                let screening = engine.screen_with_fingerprint(&text);
                let json = serde_json::to_string(&Output { id: &id, screening: &screening })
                    .map_err(|e| format!("serialising line {line_no}: {e}"))?;
                writeln!(out, "{json}").map_err(write_err)?;
            }
            Err(message) => write_failure(&mut out, line_no, &message).map_err(write_err)?,
        }
    }
    out.flush().map_err(write_err)
}

fn write_failure(out: &mut impl Write, line: usize, error: &str) -> std::io::Result<()> {
    let json = serde_json::to_string(&LineFailure { line, error }).unwrap_or_default();
    writeln!(out, "{json}")
}

fn parse_input(line: &str) -> Result<(serde_json::Value, String), String> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("bad JSON: {e}"))?;
    let object = value.as_object().ok_or("expected a JSON object")?;
    let id = object.get("id").cloned().unwrap_or(serde_json::Value::Null);
    let text = object.get("text").and_then(serde_json::Value::as_str).ok_or("missing string field \"text\"")?;
    Ok((id, text.to_string()))
}
