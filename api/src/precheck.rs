//! Cheap checks on the raw query text, before the parser sees it: the number of lexical tokens
//! and of field aliases. They bound the work a hostile query can cause in parsing and validation.

/// Counts of a query's lexical tokens and aliases.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tokens: usize,
    pub aliases: usize,
}

/// Scans `query` once. Strings and comments are skipped; an alias is a name followed by `:`
/// outside parentheses (inside them, `name:` is an argument or a variable definition).
pub fn count(query: &str) -> Counts {
    let mut counts = Counts::default();
    let chars: Vec<char> = query.chars().collect();
    let (mut i, mut parens, mut last_was_name) = (0, 0i32, false);
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() || c == ',' => {
                i += 1;
                continue;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '"' => {
                let block = chars.get(i..i + 3) == Some(&['"', '"', '"']);
                i += if block { 3 } else { 1 };
                while i < chars.len() {
                    if block && chars.get(i..i + 3) == Some(&['"', '"', '"']) {
                        i += 3;
                        break;
                    }
                    if !block && chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if !block && chars[i] == '"' {
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                counts.tokens += 1;
                last_was_name = false;
                continue;
            }
            _ if c.is_alphanumeric() || c == '_' || c == '-' => {
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-' | '.'))
                {
                    i += 1;
                }
                counts.tokens += 1;
                last_was_name = true;
                continue;
            }
            ':' if last_was_name && parens == 0 => counts.aliases += 1,
            '(' => parens += 1,
            ')' => parens -= 1,
            _ => {}
        }
        counts.tokens += 1;
        last_was_name = false;
        i += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn aliases_are_names_followed_by_a_colon_outside_arguments() {
        let c = count(
            r#"query Q($n: Int = 1) { a: zones(first: $n, filter: {name: "x:y"}) { b: totalCount } # c: d
        }"#,
        );
        assert_eq!(c.aliases, 2);
        assert!(c.tokens > 20);
    }

    #[test]
    fn strings_count_as_one_token() {
        assert_eq!(
            count(r#"{ search(query: "a b c d e f") { score } }"#).tokens,
            11
        );
    }
}
