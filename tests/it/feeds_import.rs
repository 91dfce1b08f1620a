//! Partner feed imports at the edges: bytes that are not UTF-8, evidence that names a stored
//! record only by one of its aliases, and a feed that reads only what it references.
use crate::helpers::{real_seeds, scalar, snapshot, test_db};

fn hidden() -> indicatif::ProgressBar {
    indicatif::ProgressBar::hidden()
}

/// A feed file with `lines` in a temporary directory (kept alive by the returned guard).
fn feed_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write feed");
    (dir, path)
}

const PARK: &str = r#"{"type":"platform","slug":"alias-park","name_zh":"示范园","kind":"industrial_park","zone":"huangpu","citations":[{"source_url":"https://partner.example/p","quote":"示范园坐落于黄埔。"}]}"#;

#[tokio::test]
async fn invalid_utf8_in_a_feed_names_the_file_line_and_byte_and_writes_nothing() {
    let t = test_db().await;
    loader::load(&t.db, &real_seeds()).await.expect("seeds");
    let before = snapshot(&t.db).await;
    let mut bytes = format!("{PARK}\n").into_bytes();
    bytes.extend_from_slice(b"{\"type\":\"zone\",\"slug\":\"x\",\"name_zh\":\"\xe9\x87\"}\n");
    let (_dir, path) = feed_file("broken.ndjson", &bytes);
    let err = loader::feed::import(&t.db, &path, "demo", &hidden())
        .await
        .expect_err("invalid UTF-8");
    let offset = PARK.len() + 1 + r#"{"type":"zone","slug":"x","name_zh":""#.len();
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "broken.ndjson:2: not valid UTF-8: byte {offset} (0xe9)"
        )),
        "{text}"
    );
    assert_eq!(snapshot(&t.db).await, before);
}

#[tokio::test]
async fn invalid_utf8_in_a_csv_feed_names_the_line() {
    let t = test_db().await;
    loader::load(&t.db, &real_seeds()).await.expect("seeds");
    let (_dir, path) = feed_file(
        "broken.csv",
        b"type,slug,name_zh\r\nzone,a,b\r\nzone,c,\xff\r\n",
    );
    let err = loader::feed::import(&t.db, &path, "demo", &hidden())
        .await
        .expect_err("invalid UTF-8");
    assert!(
        err.to_string().contains("broken.csv:3: not valid UTF-8"),
        "{err}"
    );
}

#[tokio::test]
async fn evidence_may_name_a_stored_record_by_its_alias_and_only_by_a_listed_one() {
    let t = test_db().await;
    loader::load(&t.db, &real_seeds()).await.expect("seeds");
    // 黄埔 is an alias of the curated zone huangpu (黄埔区): it evidences the zone relation.
    let (_dir, path) = feed_file("alias.ndjson", format!("{PARK}\n").as_bytes());
    let summary = loader::feed::import(&t.db, &path, "demo", &hidden())
        .await
        .expect("alias evidence");
    assert_eq!(summary.table("platforms").map(|s| s.inserted), Some(1));
    assert_eq!(
        scalar(
            &t.db,
            "SELECT COUNT(*) FROM citations WHERE owner_slug = 'alias-park' AND relation = 'zone'"
        )
        .await,
        1
    );
    // A quote naming something that is neither the zone's name nor one of its aliases is not.
    let unnamed = PARK
        .replace("alias-park", "unnamed-park")
        .replace("示范园坐落于黄埔。", "示范园坐落于东方。");
    let (_dir2, path) = feed_file("unnamed.ndjson", format!("{unnamed}\n").as_bytes());
    let err = loader::feed::import(&t.db, &path, "other", &hidden())
        .await
        .expect_err("no evidence");
    let text = err.to_string();
    assert!(
        text.contains("unnamed.ndjson:1: no citation of platform \"unnamed-park\" names its zone"),
        "{text}"
    );
    assert!(text.contains("黄埔"), "the aliases are listed: {text}");
}
