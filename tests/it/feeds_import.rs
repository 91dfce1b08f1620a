//! Partner feed imports at the edges: bytes that are not UTF-8, evidence that names a stored
//! record only by one of its aliases, and a feed that reads only what it references.
use crate::helpers::{feed_file, hidden, import_refused, loaded_db, real_seeds, snapshot};

const PARK: &str = r#"{"type":"platform","slug":"alias-park","name_zh":"示范园","kind":"industrial_park","zone":"huangpu","citations":[{"source_url":"https://partner.example/p","quote":"示范园坐落于黄埔。"}]}"#;

#[tokio::test]
async fn invalid_utf8_in_a_feed_names_the_file_line_and_byte_and_writes_nothing() {
    let t = loaded_db(&real_seeds()).await;
    let before = snapshot(&t.db).await;
    let mut bytes = format!("{PARK}\n").into_bytes();
    bytes.extend_from_slice(b"{\"type\":\"zone\",\"slug\":\"x\",\"name_zh\":\"\xe9\x87\"}\n");
    let (_dir, path) = feed_file("broken.ndjson", &bytes);
    let text = import_refused(&t.db, &path, "demo").await;
    let offset = PARK.len() + 1 + r#"{"type":"zone","slug":"x","name_zh":""#.len();
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
    let t = loaded_db(&real_seeds()).await;
    let (_dir, path) = feed_file(
        "broken.csv",
        b"type,slug,name_zh\r\nzone,a,b\r\nzone,c,\xff\r\n",
    );
    let err = import_refused(&t.db, &path, "demo").await;
    assert!(err.contains("broken.csv:3: not valid UTF-8"), "{err}");
}

#[tokio::test]
async fn evidence_may_name_a_stored_record_by_its_alias_and_only_by_a_listed_one() {
    let t = loaded_db(&real_seeds()).await;
    // 黄埔 is an alias of the curated zone huangpu (黄埔区): it evidences the zone relation.
    let (_dir, path) = feed_file("alias.ndjson", format!("{PARK}\n").as_bytes());
    let summary = loader::feed::import(&t.db, &path, "demo", &hidden())
        .await
        .expect("alias evidence");
    assert_eq!(summary.table("platforms").map(|s| s.inserted), Some(1));
    assert_eq!(
        t.scalar(
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
    let text = import_refused(&t.db, &path, "other").await;
    assert!(
        text.contains("unnamed.ndjson:1: no citation of platform \"unnamed-park\" names its zone"),
        "{text}"
    );
    assert!(text.contains("黄埔"), "the aliases are listed: {text}");
}

/// `n` in Chinese digits (names must differ in their Chinese text).
fn chinese(n: usize) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    n.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| DIGITS[d as usize])
        .collect()
}

/// A feed of `parks` platforms in Huangpu whose parent, 枢纽产业园, is the feed's last line
/// (itself under `hub_parent`, if given).
fn parks_under_a_hub(parks: usize, quote_tail: &str, hub_parent: Option<&str>) -> String {
    let mut feed = String::new();
    for i in 0..parks {
        let name = format!("示范园{}号", chinese(i));
        let line = serde_json::json!({
            "type": "platform", "slug": format!("park-{i}"), "name_zh": name,
            "kind": "industrial_park", "zone": "huangpu", "parent": "hub-park",
            "citations": [{"source_url": format!("https://partner.example/parks/{i}"),
                           "quote": format!("{name}位于黄埔区，隶属枢纽产业园{quote_tail}。")}],
        });
        feed.push_str(&format!("{line}\n"));
    }
    let mut hub = serde_json::json!({
        "type": "platform", "slug": "hub-park", "name_zh": "枢纽产业园",
        "kind": "industrial_park", "zone": "huangpu",
        "citations": [{"source_url": "https://partner.example/hub", "quote": "枢纽产业园坐落于黄埔。"}],
    });
    if let Some(parent) = hub_parent {
        hub["parent"] = parent.into();
    }
    feed.push_str(&format!("{hub}\n"));
    feed
}

#[tokio::test]
async fn a_feed_larger_than_a_part_is_written_whole_parents_first_and_all_or_nothing() {
    let t = loaded_db(&real_seeds()).await;
    // More records than one part holds, each pointing at a parent the file gives last.
    let parks = 2_100;
    let (_dir, path) = feed_file(
        "parks.ndjson",
        parks_under_a_hub(parks, "", None).as_bytes(),
    );
    let summary = loader::feed::import(&t.db, &path, "parks", &hidden())
        .await
        .expect("imports");
    assert_eq!(
        summary.table("platforms").map(|s| s.inserted),
        Some(parks + 1)
    );
    let under_hub =
        "SELECT COUNT(*) FROM platforms WHERE parent = 'hub-park' AND origin = 'feed:parks'";
    assert_eq!(t.scalar(under_hub).await, parks as i64);
    let before = snapshot(&t.db).await;
    let again = loader::feed::import(&t.db, &path, "parks", &hidden())
        .await
        .expect("again");
    assert!(again.is_noop(), "{again}");

    // One record changed: only it (and its citation) is rewritten.
    let changed = parks_under_a_hub(parks, "", None).replacen(
        "示范园零号位于黄埔区，隶属枢纽产业园。",
        "示范园零号位于黄埔区，隶属枢纽产业园，已投产。",
        1,
    );
    std::fs::write(&path, changed).expect("write");
    let one = loader::feed::import(&t.db, &path, "parks", &hidden())
        .await
        .expect("one change");
    assert_eq!(one.table("platforms").map(|s| s.updated), Some(1), "{one}");
    let citations = one.table("citations").map(|s| (s.inserted, s.deleted));
    assert!(
        matches!(citations, Some((i, d)) if i == d && (1..=3).contains(&i)),
        "only the changed record's citations: {one}"
    );
    let after_one = snapshot(&t.db).await;
    assert_ne!(after_one, before);

    // A problem in the last part (a second record with a slug the first part used) writes
    // nothing, although the earlier parts were fine.
    let mut feed = parks_under_a_hub(parks, "，已投产", None);
    feed.push_str(&format!(
        "{}\n",
        serde_json::json!({
            "type": "platform", "slug": "park-7", "name_zh": "重复园", "kind": "industrial_park",
            "zone": "huangpu", "citations": [{"source_url": "https://partner.example/d", "quote": "重复园坐落于黄埔。"}],
        })
    ));
    std::fs::write(&path, feed).expect("write");
    let text = import_refused(&t.db, &path, "parks").await;
    assert!(
        text.contains(&format!(
            "parks.ndjson:{}: duplicate platform slug \"park-7\" (first on line 8)",
            parks + 2
        )),
        "{text}"
    );
    assert_eq!(snapshot(&t.db).await, after_one, "nothing written");

    // A parent chain that loops is named, and nothing is written.
    let looped = parks_under_a_hub(3, "", Some("park-0"));
    std::fs::write(&path, looped).expect("write");
    let err = import_refused(&t.db, &path, "parks").await;
    assert!(err.contains("loops"), "{err}");
    assert_eq!(snapshot(&t.db).await, after_one);
}

/// A seeds load that changes a source's text must leave a partner's citations into it pointing
/// at their quotes: re-located (their rows, the record's hash and a logged change with them), or
/// the load refused while a quote is gone from the new text. Today the load succeeds and the
/// offsets point at other text; this test shows it and is to be run with the fix.
#[tokio::test]
#[ignore = "known bug: a seeds load does not re-locate partner quotes in a source whose text it changes"]
async fn a_changed_source_text_keeps_partner_quotes_at_their_offsets() {
    let (t, dir) = crate::helpers::loaded_copy(&real_seeds()).await;
    let feed = r#"{"type":"platform","slug":"acme-terminal","name_zh":"南沙港区四期全自动化码头","kind":"port","zone":"nansha","citations":[{"source":"guangzhou-core-engine","quote":"广州港南沙港区四期全自动化码头正式投入运行"}]}"#;
    let (_feed, path) = feed_file("acme.ndjson", format!("{feed}\n").as_bytes());
    loader::feed::import(&t.db, &path, "acme", &hidden())
        .await
        .expect("import");
    let text = dir.path().join("sources/guangzhou-core-engine.txt");
    let body = std::fs::read_to_string(&text).expect("the source's text");
    std::fs::write(&text, format!("编者按：{body}")).expect("the source edited");
    loader::load(&t.db, dir.path()).await.expect("load again");

    let stored = crate::helpers::rows(
        &t.db,
        "SELECT body FROM sources WHERE slug = 'guangzhou-core-engine'".to_owned(),
    )
    .await;
    let body: String = stored[0].try_get_by_index(0).expect("body");
    let chars: Vec<char> = body.chars().collect();
    let cites = crate::helpers::rows(
        &t.db,
        "SELECT quote, start_offset, end_offset FROM citations WHERE owner_slug = 'acme-terminal'"
            .to_owned(),
    )
    .await;
    assert!(!cites.is_empty(), "the partner's citations are kept");
    for row in cites {
        let quote: String = row.try_get_by_index(0).expect("quote");
        let start: i32 = row.try_get_by_index(1).expect("start");
        let end: i32 = row.try_get_by_index(2).expect("end");
        let at: String = chars[start as usize..end as usize].iter().collect();
        assert_eq!(at, quote, "characters {start}..{end} of the new text");
    }
}
