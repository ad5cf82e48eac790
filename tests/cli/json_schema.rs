//! Issue #15, one JSON vocabulary: the real output of every command that
//! writes JSON validates against its committed schema (schemas/*.json);
//! ps's schema is generated from the key table and current; no object has
//! a repeated key; text that is not UTF-8 cannot pass for text; CSV's
//! header is the JSON names and its lists split back.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use crate::util::{Reaped, binary, spawn_named, which};

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(format!("{name}.json"));
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: serde_json::Value = serde_json::from_slice(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name}: bad schema: {e}"))
}

fn validate(name: &str, what: &str, doc: &serde_json::Value) {
    let v = schema(name);
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not fit schemas/{name}.json: {errors:#?}\n{doc:#}"
    );
    assert_unique_keys(what, &doc.to_string());
}

/// Runs proctl and returns its stdout, which must be JSON.
fn json_of(args: &[&str]) -> (serde_json::Value, Vec<u8>) {
    let out = StdCommand::new(binary())
        .args(args)
        .stdin(Stdio::null())
        .env_remove("COLUMNS")
        .output()
        .expect("run proctl");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_unique_keys(&format!("{args:?}"), &String::from_utf8_lossy(&out.stdout));
    (doc, out.stdout)
}

/// Fails when any object in the JSON text has a key twice (serde_json's
/// own maps keep only one, so the text is walked here).
fn assert_unique_keys(what: &str, text: &str) {
    struct Walk;
    impl<'de> Visitor<'de> for Walk {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(serde::de::Error::custom(format!("repeated key {key:?}")));
                }
                map.next_value_seed(Seed)?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Seed)?.is_some() {}
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
    struct Seed;
    impl<'de> serde::de::DeserializeSeed<'de> for Seed {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(Walk)
        }
    }
    // NDJSON: each line; a JSON array or object: the whole text.
    let docs: Vec<&str> = if text.trim_start().starts_with('[') || !text.contains("}\n{") {
        vec![text]
    } else {
        text.lines().collect()
    };
    for doc in docs {
        let mut de = serde_json::Deserializer::from_str(doc);
        if let Err(e) = serde::de::DeserializeSeed::deserialize(Seed, &mut de) {
            panic!("{what}: {e}");
        }
    }
}

/// Every key of procps's table (the test keys too), from `ps L`.
fn all_keys() -> Vec<String> {
    let out = StdCommand::new(binary())
        .args(["ps", "L"])
        .output()
        .expect("ps L");
    let mut keys: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    // `ps L` leaves out the keys with no value and proctl's own keys.
    keys.extend(
        [
            "fds",
            "vctx",
            "nvctx",
            "ctxsw",
            "rss_human",
            "mem",
            "start_ticks",
            "ports",
            "cwd",
            "addr",
            "_left",
            "_right",
            "_unlimited",
        ]
        .map(String::from),
    );
    keys
}

#[test]
fn ps_schema_is_generated_from_the_key_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/ps.json");
    let mut text = serde_json::to_string_pretty(&proctl::cmd::ps_json::schema()).unwrap();
    text.push('\n');
    if std::env::var_os("PROCTL_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schemas/ps.json is stale: run PROCTL_BLESS=1 cargo test --test cli json_schema"
    );
}

/// ps's fields that docs/json.md says are left out when there is none.
const MAY_BE_LEFT_OUT: &[&str] = &[
    "tty",
    "tpgid",
    "sgi_p",
    "wchan",
    "systemd_machine",
    "systemd_owner_uid",
    "systemd_seat",
    "systemd_session",
    "systemd_slice",
    "systemd_unit",
    "systemd_user_unit",
    "lxc_name",
    "login_uid",
    "autogroup_id",
    "autogroup_nice",
];

#[test]
fn ps_output_fits_its_schema_for_every_key() {
    let sleeper = spawn_named(
        &tempfile::tempdir().unwrap().keep(),
        "jsonsleep",
        "sleep",
        &["300"],
    );
    let pid = sleeper.pid().to_string();
    let keys = all_keys();
    let schema_doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/ps.json"))
            .unwrap(),
    )
    .unwrap();
    let properties = schema_doc["items"]["properties"].as_object().unwrap();
    // All keys at once, forwards and backwards: each name once, each in the schema.
    let mut reversed = keys.clone();
    reversed.reverse();
    for list in [keys.join(","), reversed.join(",")] {
        for format in ["json", "ndjson"] {
            let args = ["ps", "-p", &pid, "-o", &list, "--format", format];
            let out = StdCommand::new(binary()).args(args).output().unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            assert_unique_keys("ps -o all keys", &text);
            let doc: serde_json::Value = if format == "json" {
                serde_json::from_str(&text).unwrap()
            } else {
                serde_json::Value::Array(
                    text.lines()
                        .map(|l| serde_json::from_str(l).unwrap())
                        .collect(),
                )
            };
            validate("ps", "ps -o all keys", &doc);
            let row = doc[0].as_object().expect("one row");
            assert_eq!(doc[0]["pid"], sleeper.pid());
            assert_eq!(doc[0]["name"], "jsonsleep");
            assert!(doc[0]["args"][0].as_str().unwrap().ends_with("/jsonsleep"));
            assert_eq!(doc[0]["args"][1], "300");
            for name in row.keys() {
                assert!(
                    properties.contains_key(name),
                    "{name} not in schemas/ps.json"
                );
            }
        }
    }
    // Each key alone: its name is in the schema, and an alias adds nothing.
    // A field the sleeper has none of is left out (docs/json.md): it has
    // no terminal, waits in the kernel only while asleep, and may have no
    // systemd unit, session, container or login uid where the tests run.
    for key in &keys {
        let (doc, _) = json_of(&["ps", "-p", &pid, "-o", key, "--format", "json"]);
        let row = doc[0].as_object().unwrap_or_else(|| panic!("{key}: {doc}"));
        let name = proctl::cmd::ps_json::field(proctl::columns::keys::search(key).unwrap()).0;
        if row.is_empty() {
            assert!(MAY_BE_LEFT_OUT.contains(&name), "{key} ({name}) left out");
            continue;
        }
        assert_eq!(row.keys().collect::<Vec<_>>(), [name], "{key}: {doc}");
        assert!(
            properties.contains_key(name),
            "{key}: {name} not in schemas/ps.json"
        );
    }
    // The same quantity asked three ways is written once.
    let (doc, _) = json_of(&[
        "ps",
        "-p",
        &pid,
        "-o",
        "time,times,bsdtime,start,lstart,pid,pid",
        "--format",
        "json",
    ]);
    assert_eq!(
        doc[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["cpu_seconds", "pid", "start_time"]
    );
    // The default views, procps's and proctl's own.
    for args in [
        &["ps", "--format", "json"][..],
        &["ps", "-e", "--format", "json"],
        &["ps", "aux", "--format", "json"],
        &["ps", "-ef", "--format", "json"],
        &["ps", "-eLf", "--format", "json"],
        &["ps", "-p", &pid, "-o", "pid,comm", "--format", "json"],
    ] {
        let (doc, _) = json_of(args);
        validate("ps", &format!("{args:?}"), &doc);
    }
}

#[test]
fn no_match_is_an_empty_array() {
    for args in [
        &["ps", "-p", "999999999", "--format", "json"][..],
        &[
            "ps",
            "-C",
            "no-such-name-xyz",
            "-o",
            "pid,comm",
            "--format",
            "json",
        ],
        &["ps", "--match", "no-such-name-xyz", "--format", "json"],
        &["pstree", "999999999", "--format", "json"],
        &["show", "no-such-name-xyz", "--format", "json"],
        &["signal", "--name", "no-such-name-xyz", "--format", "json"],
        &["wait", "--name", "no-such-name-xyz", "--format", "json"],
        &[
            "set",
            "--name",
            "no-such-name-xyz",
            "--nice",
            "1",
            "--format",
            "json",
        ],
    ] {
        let out = StdCommand::new(binary()).args(args).output().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("{args:?}: {e}: {:?}", String::from_utf8_lossy(&out.stdout))
        });
        assert_eq!(doc, serde_json::json!([]), "{args:?}");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
}

#[test]
fn every_command_fits_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "schemasleep", "sleep", &["300"]);
    let pid = sleeper.pid().to_string();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();

    let (doc, _) = json_of(&["pstree", "-p", &pid, "--format", "json"]);
    validate("pstree", "pstree", &doc);
    assert_eq!(doc[0]["threads"], 1);
    assert_eq!(doc[0]["thread_list"], serde_json::json!([]));
    let (doc, _) = json_of(&["pstree", "-T", &pid, "--format", "json"]);
    validate("pstree", "pstree -T", &doc);
    assert_eq!(doc[0].get("thread_list"), None, "{doc}");
    let (doc, _) = json_of(&["pstree", "-t", "1", "--format", "json"]);
    validate("pstree", "pstree -t 1", &doc);

    let (doc, _) = json_of(&["show", &pid, "--format", "json"]);
    validate("show", "show PID", &doc);
    assert_eq!(doc["name"], "schemasleep");
    let (doc, _) = json_of(&[
        "show",
        &pid,
        "--format",
        "json",
        "--maps",
        "--threads",
        "--files",
        "--env",
    ]);
    validate("show", "show --maps --threads --files --env", &doc);
    let own = std::process::id().to_string();
    let (doc, _) = json_of(&["show", &own, "--format", "json", "--files"]);
    validate("show", "show of the test (sockets)", &doc);
    // A kernel thread's (pid 2 outside a pid namespace of its own).
    if std::fs::read_to_string("/proc/2/stat").is_ok_and(|s| s.contains("(kthreadd)")) {
        let (doc, _) = json_of(&["show", "2", "--format", "json", "--files"]);
        validate("show", "show of a kernel thread", &doc);
    }
    let (doc, _) = json_of(&["show", "schemasleep", "--format", "json"]);
    validate("show", "show PATTERN", &doc);
    assert_eq!(doc.as_array().map(Vec::len), Some(1), "{doc:#}");
    // The test itself runs in the package's directory.
    let (doc, _) = json_of(&[
        "show",
        "--holding",
        env!("CARGO_MANIFEST_DIR"),
        "--format",
        "json",
    ]);
    assert!(doc.as_array().is_some_and(|a| !a.is_empty()), "{doc}");
    validate("show", "show --holding", &doc);

    let (doc, _) = json_of(&["ports", "--format", "json"]);
    validate("ports", "ports", &doc);
    assert!(
        doc.as_array()
            .unwrap()
            .iter()
            .any(|s| s["port"].as_u64() == port.parse::<u64>().ok()),
        "{port} not in {doc}"
    );
    let (doc, _) = json_of(&["ports", "--unix", "--all", "--format", "json"]);
    validate("ports", "ports --unix --all", &doc);

    let (doc, _) = json_of(&[
        "signal",
        "--dry-run",
        "-s",
        "TERM",
        &pid,
        "--format",
        "json",
    ]);
    validate("signal", "signal --dry-run", &doc);
    let (doc, _) = json_of(&[
        "signal",
        "-s",
        "CONT",
        &pid,
        "999999999",
        "--format",
        "json",
    ]);
    validate("signal", "signal", &doc);
    // A refusal has a reason; a thread id named, its tid.
    let (doc, _) = json_of(&["signal", "--dry-run", "-s", "TERM", "1", "--format", "json"]);
    validate("signal", "signal 1 (refused)", &doc);
    assert!(doc[0]["reason"].is_string(), "{doc}");
    let me = std::process::id();
    let thread = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|&t| t != me);
    if let Some(tid) = thread {
        let tid = tid.to_string();
        let (doc, _) = json_of(&[
            "signal",
            "--dry-run",
            "-s",
            "CONT",
            &tid,
            "--format",
            "json",
        ]);
        validate("signal", "signal TID", &doc);
        assert_eq!(doc[0]["tid"].to_string(), tid, "{doc}");
    }

    let (doc, _) = json_of(&["set", "--nice", "3", &pid, "--format", "json"]);
    validate("set", "set --nice", &doc);
    let (doc, _) = json_of(&[
        "set",
        "--dry-run",
        "--affinity",
        "0",
        &pid,
        "--format",
        "json",
    ]);
    validate("set", "set --dry-run --affinity", &doc);

    // wait: one that exits, one still running at the timeout, one missing.
    let quick = spawn_named(dir.path(), "quickexit", "sleep", &["0.2"]);
    let (doc, _) = json_of(&[
        "wait",
        &quick.pid().to_string(),
        &pid,
        "999999999",
        "--timeout",
        "5s",
        "--format",
        "json",
    ]);
    validate("wait", "wait", &doc);
    let outcome = |p: i64| {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|r| r["pid"] == p)
            .map(|r| r["outcome"].clone())
    };
    assert_eq!(outcome(quick.pid().into()), Some("exited".into()), "{doc}");
    assert_eq!(
        outcome(sleeper.pid().into()),
        Some("still_running".into()),
        "{doc}"
    );
    assert_eq!(outcome(999999999), Some("no_such_process".into()), "{doc}");

    for program in ["true", "/nonexistent/program"] {
        let (doc, _) = json_of(&["spawn", "--report", "-", "--", program]);
        validate("spawn-report", &format!("spawn --report {program}"), &doc);
    }
    let (doc, _) = json_of(&["spawn", "--report", "-", "--", "sh", "-c", "kill -TERM $$"]);
    validate("spawn-report", "spawn --report killed", &doc);
    assert_eq!(doc["signal"], "TERM");

    let out = StdCommand::new(binary())
        .args(["top", "--batch", "-n", "2", "--format", "ndjson"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    for line in text.lines() {
        validate(
            "top-frame",
            "top ndjson frame",
            &serde_json::from_str(line).unwrap(),
        );
    }
    let (doc, _) = json_of(&["top", "--batch", "-n", "1", "--format", "json"]);
    for frame in doc.as_array().unwrap() {
        validate("top-frame", "top json frame", frame);
    }
    drop(listener);
}

/// A process whose name and argument hold a real 0xff byte, and one whose
/// name and argument hold the text `\xff`.
fn odd_and_literal(dir: &Path) -> (Reaped, Reaped) {
    let start = |name: &[u8], arg: &[u8]| {
        let link = dir.join(OsStr::from_bytes(name));
        std::os::unix::fs::symlink(which("sleep"), &link).unwrap();
        let child = StdCommand::new(&link)
            .arg(OsString::from_vec(arg.to_vec()))
            .stdin(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        Reaped(child)
    };
    // sleep takes "300\xff" as a bad number: the argument goes second.
    let odd = start(b"odd\xffname", b"300");
    let literal = start(b"lit\\xffname", b"300");
    (odd, literal)
}

fn raw_text(bytes: &[u8]) -> serde_json::Value {
    serde_json::json!({"text": String::from_utf8_lossy(bytes), "bytes": bytes})
}

#[test]
fn bytes_that_are_not_utf8_cannot_pass_for_text() {
    let dir = tempfile::tempdir().unwrap();
    let (odd, literal) = odd_and_literal(dir.path());
    // Wait for both names to show (the exec has happened when spawn returns).
    let (o, l) = (odd.pid().to_string(), literal.pid().to_string());
    let odd_name = raw_text(b"odd\xffname");
    let lit_name = serde_json::json!("lit\\xffname");
    let odd_arg0 = raw_text(
        dir.path()
            .join(OsStr::from_bytes(b"odd\xffname"))
            .as_os_str()
            .as_bytes(),
    );

    let (doc, _) = json_of(&[
        "ps",
        "-p",
        &format!("{o},{l}"),
        "-o",
        "pid,comm,args,fname",
        "--format",
        "json",
    ]);
    validate("ps", "ps odd names", &doc);
    let row = |pid: &str| {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|r| r["pid"].as_i64() == pid.parse::<i64>().ok())
            .unwrap()
            .clone()
    };
    assert_eq!(row(&o)["name"], odd_name);
    assert_eq!(row(&o)["args"][0], odd_arg0);
    assert_eq!(row(&l)["name"], lit_name);
    // fname: the first 8 bytes, here all of them.
    assert_eq!(row(&o)["fname"], raw_text(b"odd\xffname"));
    assert_ne!(row(&o)["name"], row(&l)["name"]);
    let (doc, _) = json_of(&["ps", "--format", "json"]);
    let mine: Vec<_> = doc
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| [&o, &l].contains(&&r["pid"].to_string()))
        .collect();
    assert!(
        mine.iter().any(|r| r["name"] == odd_name) && mine.iter().any(|r| r["name"] == lit_name)
    );

    let (doc, _) = json_of(&["show", &o, "--format", "json"]);
    validate("show", "show odd", &doc);
    assert_eq!(doc["name"], odd_name);
    assert_eq!(
        doc["exe"],
        serde_json::json!(which("sleep").to_str().unwrap())
    );
    let (doc, _) = json_of(&["show", &l, "--format", "json"]);
    assert_eq!(doc["name"], lit_name);

    for (pid, name) in [(&o, &odd_name), (&l, &lit_name)] {
        let (doc, _) = json_of(&["pstree", pid, "--format", "json"]);
        validate("pstree", "pstree odd", &doc);
        assert_eq!(&doc[0]["name"], name);
        let (doc, _) = json_of(&["signal", "--dry-run", "-s", "TERM", pid, "--format", "json"]);
        assert_eq!(&doc[0]["name"], name);
    }

    // CSV: a real byte as \xff, the text \xff with its backslash doubled.
    let out = StdCommand::new(binary())
        .args([
            "ps",
            "-p",
            &format!("{o},{l}"),
            "-o",
            "pid,comm",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(",odd\\xffname\r\n"), "{text:?}");
    assert!(text.contains(",lit\\\\xffname\r\n"), "{text:?}");

    // spawn's report names the arguments the same way.
    let (doc, _) = json_of_os(&[
        OsStr::new("spawn"),
        OsStr::new("--report"),
        OsStr::new("-"),
        OsStr::new("--"),
        OsStr::new("true"),
        OsStr::from_bytes(b"a\xffb"),
        OsStr::new("a\\xffb"),
    ]);
    validate("spawn-report", "spawn odd args", &doc);
    assert_eq!(doc["args"][1], raw_text(b"a\xffb"));
    assert_eq!(doc["args"][2], "a\\xffb");
}

fn json_of_os(args: &[&OsStr]) -> (serde_json::Value, Vec<u8>) {
    let out = StdCommand::new(binary()).args(args).output().unwrap();
    (serde_json::from_slice(&out.stdout).unwrap(), out.stdout)
}

#[test]
fn csv_header_is_the_json_names_and_lists_split_back() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "csvsleep", "sleep", &["300"]);
    let pid = sleeper.pid().to_string();
    for args in [
        &["ps", "-p", &pid, "--format"][..],
        &[
            "ps",
            "-p",
            &pid,
            "-o",
            "pid,comm,args,time,lstart",
            "--format",
        ],
        &["ports", "--format"],
        &["ports", "--unix", "--all", "--format"],
    ] {
        let run = |format: &str| {
            let mut a = args.to_vec();
            a.push(format);
            let out = StdCommand::new(binary()).args(&a).output().unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
        let csv = run("csv");
        let header: Vec<&str> = csv.lines().next().unwrap().trim_end().split(',').collect();
        match json.as_array().and_then(|a| a.first()) {
            Some(first) => {
                let names: Vec<&str> = first
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                // Every JSON name is a column; a column the first row has
                // no JSON field for is one left out when there is none
                // (an empty cell).
                for name in &names {
                    assert!(header.contains(name), "{args:?}: {name}");
                }
                for column in header.iter().filter(|h| !names.contains(h)) {
                    assert!(
                        ["tty", "path", "peer_inode"].contains(column),
                        "{args:?}: {column}"
                    );
                }
            }
            None => assert!(!header.is_empty(), "{args:?}"),
        }
    }
    // A list cell is the JSON list: arguments with commas and quotes come back.
    let child = Reaped(
        StdCommand::new("sh")
            .args(["-c", "sleep 300; :", "a, \"b\"", "c\\d"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    let out = StdCommand::new(binary())
        .args([
            "ps",
            "-p",
            &child.pid().to_string(),
            "-o",
            "args",
            "--format",
            "csv",
            "--no-headers",
        ])
        .output()
        .unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    let cell = line.trim_end_matches("\r\n");
    // RFC 4180: quoted, quotes doubled.
    let unquoted = cell
        .strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{cell:?}"))
        .replace("\"\"", "\"");
    let args: Vec<String> = serde_json::from_str(&unquoted).unwrap();
    assert_eq!(args, ["sh", "-c", "sleep 300; :", "a, \"b\"", "c\\d"]);
    drop(sleeper);
}

/// The path of every null in a document: `.files[].device`, `[].exe`.
fn null_paths(doc: &serde_json::Value, path: &str, out: &mut std::collections::BTreeSet<String>) {
    match doc {
        serde_json::Value::Null => {
            out.insert(path.to_string());
        }
        serde_json::Value::Array(items) => {
            for item in items {
                null_paths(item, &format!("{path}[]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                null_paths(value, &format!("{path}.{key}"), out);
            }
        }
        _ => {}
    }
}

/// Issue #15: null means unknown only; "none" and "does not apply" leave
/// the field out. Run as root on the test's own processes, every command's
/// JSON has no null but in the fields docs/json.md says a kernel may not
/// keep (`security_label` without an LSM, a namespace that pid 1's cannot
/// be compared with in a container) and ps's keys procps has no value for
/// on Linux, null under their own names.
#[test]
fn null_only_where_unknown_is_possible() {
    if !crate::util::is_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "nullsleep", "sleep", &["300"]);
    let pid = sleeper.pid().to_string();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (left, _right) = std::os::unix::net::UnixStream::pair().unwrap();
    let keys = all_keys().join(",");
    let own = std::process::id().to_string();
    let runs: &[&[&str]] = &[
        &["ps", "-p", &pid, "-o", &keys, "--format", "json"],
        // Only the test's own processes: another may exit between two
        // reads, and then its fields are rightly null (gone).
        &["ps", "-p", &pid, "--format", "json"],
        &["ps", "-Lf", "-p", &pid, "--format", "json"],
        &["ps", "u", "-p", &pid, "--format", "json"],
        &["pstree", "-p", &pid, "--format", "json"],
        &["pstree", "-T", &pid, "--format", "json"],
        &[
            "show",
            &pid,
            "--format",
            "json",
            "--maps",
            "--threads",
            "--env",
        ],
        &["show", &own, "--format", "json", "--files"],
        &["ports", "--format", "json"],
        &["ports", "--unix", "--all", "--format", "json"],
        &[
            "signal",
            "--dry-run",
            "-s",
            "CONT",
            &pid,
            "999999999",
            "--format",
            "json",
        ],
        &["set", "--dry-run", "--io", "idle", &pid, "--format", "json"],
        &["set", "--nice", "0", &pid, "--format", "json"],
        &[
            "wait",
            &pid,
            "999999999",
            "--timeout",
            "0.1s",
            "--format",
            "json",
        ],
        &["spawn", "--report", "-", "--", "true"],
        &["spawn", "--report", "-", "--", "/nonexistent/program"],
        &["spawn", "--report", "-", "--", "sh", "-c", "kill -TERM $$"],
        &["top", "--batch", "-n", "1", "-p", &pid, "--format", "json"],
    ];
    let procps_has_none: Vec<String> = proctl::columns::keys::KEYS
        .iter()
        .map(proctl::cmd::ps_json::field)
        .filter(|(_, kind)| *kind == proctl::cmd::ps_json::Kind::Unknown)
        .map(|(name, _)| format!("[].{name}"))
        .collect();
    let may_be_unknown = |path: &str| {
        // A socket's owners when some process's descriptors cannot be read
        // (here even root may not read pid 1's, in a container).
        path == "[].processes"
            || path.ends_with(".security_label")
            || (path.starts_with(".namespaces.") && path.ends_with(".differs_from_init"))
            || procps_has_none.iter().any(|p| p == path)
    };
    let mut runs = runs.to_vec();
    if std::fs::read_to_string("/proc/2/stat").is_ok_and(|s| s.contains("(kthreadd)")) {
        runs.push(&["show", "2", "--format", "json", "--files"]);
    }
    for args in runs {
        let out = StdCommand::new(binary())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        // spawn --report - writes the report last, after the child's output.
        let doc: serde_json::Value = serde_json::from_str(&text)
            .or_else(|_| serde_json::from_str(text.lines().last().unwrap_or("")))
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {text}"));
        assert!(!doc.is_null() && doc != serde_json::json!([]), "{args:?}");
        let mut nulls = std::collections::BTreeSet::new();
        null_paths(&doc, "", &mut nulls);
        nulls.retain(|p| !may_be_unknown(p));
        assert!(nulls.is_empty(), "{args:?}: null at {nulls:?}");
    }
    drop((listener, left));
}
