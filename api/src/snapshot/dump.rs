//! A snapshot as text, one line per live record with everything the read model holds about it
//! (keys instead of IDs), so two snapshots can be compared: the one an incremental update gives
//! must equal a full rebuild at the same cursor (a test checks it).
use entity::ids::Kind;

use super::Snapshot;
use super::data::Dir;
use super::order::OrderField;

impl Snapshot {
    /// Bytes the snapshot holds, by part (records, text, each list, name indexes, orders), for
    /// the `baygraph_read_model_bytes` gauge.
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        let mut parts = [0usize; 10];
        for c in &self.chunks {
            parts[0] += c.recs.capacity() * std::mem::size_of::<super::chunk::Rec>()
                + c.details.capacity() * std::mem::size_of::<(u32, super::chunk::Detail)>();
            parts[1] += c.text.capacity();
            parts[2] += c.links.footprint();
            parts[3] += c.cites.footprint() + c.cite_texts.capacity() * 20;
            parts[4] += c.mentions.footprint();
            parts[5] += c.aliases.footprint() + c.extra.footprint() + c.milestones.footprint();
            parts[6] += c.names.footprint();
        }
        for kind in &self.orders {
            for list in kind {
                parts[7] += list.footprint();
            }
        }
        parts[8] = self.sources.values().map(|i| i.footprint()).sum();
        parts[9] = self.chunks.len() * std::mem::size_of::<super::chunk::Chunk>();
        [
            "records",
            "text",
            "links",
            "citations",
            "mentions",
            "other_lists",
            "names",
            "orders",
            "source_indexes",
            "chunk_headers",
        ]
        .into_iter()
        .zip(parts)
        .collect()
    }

    /// Every live record and every order, as comparable text.
    pub fn dump(&self) -> Vec<String> {
        let mut lines = vec![];
        for kind in Kind::ALL {
            for id in self.order(kind, OrderField::Slug).iter_from(0) {
                let r = self.rec(id);
                let mut line = format!(
                    "{} zh={} en={:?} sub={} date={:?} updated={} number={:?} year={:?} flag={} degree={}",
                    r.key(),
                    r.name_zh(),
                    r.name_en(),
                    r.sub_str(),
                    r.date(),
                    r.updated_at(),
                    r.number(),
                    r.year(),
                    r.flag(),
                    r.degree(),
                );
                for field in super::data::extra_fields(kind) {
                    line.push_str(&format!(" {field}={:?}", r.extra(field).map(str::len)));
                }
                line.push_str(&format!(" aliases={:?}", r.aliases().collect::<Vec<_>>()));
                // IDs differ between an updated and a rebuilt snapshot: lists are compared by key.
                line.push_str(&sorted(r.links().iter().map(|l| {
                    let l = l.unpack();
                    let dir = if l.dir == Dir::In { "<-" } else { "->" };
                    format!(
                        " {:?}{dir}{}#{}r{}",
                        l.relation,
                        self.key(l.other),
                        l.ordinal,
                        l.role
                    )
                })));
                for c in r.cites() {
                    line.push_str(&format!(
                        " cite({:?},{:?},{:?},{:?},{:?},{:?},{:?},{:?})",
                        c.relation(),
                        c.target()
                            .map(|t| self.key(t).to_string())
                            .or(c.target_number().map(|n| n.to_string())),
                        c.source().map(|s| self.key(s).to_string()),
                        c.quote(),
                        c.start(),
                        c.end(),
                        c.note(),
                        c.source_url()
                    ));
                }
                line.push_str(&sorted(r.mentions().map(|m| {
                    format!(
                        " mention({},{},{},{})",
                        self.key(m.other()),
                        m.start(),
                        m.end(),
                        m.surface()
                    )
                })));
                for m in r.milestones() {
                    line.push_str(&format!(
                        " milestone({},{},{:?},{:?})",
                        m.date(),
                        m.event_zh(),
                        m.event_en(),
                        m.date_note()
                    ));
                }
                lines.push(line);
            }
            for field in OrderField::ALL {
                let order: Vec<String> = self
                    .order(kind, field)
                    .iter_from(0)
                    .map(|id| self.rec(id).slug().to_owned())
                    .collect();
                lines.push(format!("order {kind} {field:?}: {}", order.join(" ")));
            }
        }
        lines
    }
}

/// `parts` in sorted order, joined: a list compared by content, not by its order in the snapshot.
fn sorted(parts: impl Iterator<Item = String>) -> String {
    let mut parts: Vec<String> = parts.collect();
    parts.sort();
    parts.concat()
}
