//! Argument literals checked against the schema's types before execution: a string literal where
//! an enum is expected (`kinds: ["DISTRICT"]`) is a validation error in GraphQL, which async-graphql
//! lets through. The argument and input-field types are read once from the schema's SDL.
use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet,
    Type, TypeKind, TypeSystemDefinition,
};
use async_graphql_value::Value;

/// What the check needs of the schema: each field's type and argument types, each input
/// object's field types, and the enum names.
#[derive(Default)]
pub struct SchemaTypes {
    fields: HashMap<(String, String), (String, HashMap<String, Type>)>,
    inputs: HashMap<(String, String), Type>,
    enums: HashSet<String>,
}

fn base_name(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(n) => n.as_str(),
        BaseType::List(inner) => base_name(inner),
    }
}

impl SchemaTypes {
    /// From the schema's SDL (as `Schema::sdl` writes it; an unparsable SDL checks nothing).
    pub fn from_sdl(sdl: &str) -> SchemaTypes {
        let mut types = SchemaTypes::default();
        let Ok(doc) = async_graphql::parser::parse_schema(sdl) else {
            tracing::error!("the schema's own SDL does not parse; literal checks are off");
            return types;
        };
        for def in doc.definitions {
            let TypeSystemDefinition::Type(t) = def else {
                continue;
            };
            let name = t.node.name.node.to_string();
            match t.node.kind {
                TypeKind::Object(o) => types.add_fields(&name, o.fields),
                TypeKind::Interface(i) => types.add_fields(&name, i.fields),
                TypeKind::InputObject(i) => {
                    for f in i.fields {
                        types
                            .inputs
                            .insert((name.clone(), f.node.name.node.to_string()), f.node.ty.node);
                    }
                }
                TypeKind::Enum(_) => {
                    types.enums.insert(name);
                }
                _ => {}
            }
        }
        types
    }

    fn add_fields(
        &mut self,
        owner: &str,
        fields: Vec<async_graphql::Positioned<async_graphql::parser::types::FieldDefinition>>,
    ) {
        for f in fields {
            let args = f
                .node
                .arguments
                .into_iter()
                .map(|a| (a.node.name.node.to_string(), a.node.ty.node))
                .collect();
            let ty = base_name(&f.node.ty.node).to_owned();
            self.fields
                .insert((owner.to_owned(), f.node.name.node.to_string()), (ty, args));
        }
    }

    /// The first string literal given where an enum is expected in `op`, as a message.
    pub fn string_for_enum(
        &self,
        doc: &ExecutableDocument,
        op: &OperationDefinition,
    ) -> Option<String> {
        let root = match op.ty {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => "Subscription",
        };
        self.walk(doc, root, &op.selection_set.node, 0)
    }

    fn walk(
        &self,
        doc: &ExecutableDocument,
        on: &str,
        set: &SelectionSet,
        depth: usize,
    ) -> Option<String> {
        // Fragment nesting is already bounded by the document's priced shape; this guards the stack.
        if depth > 64 {
            return None;
        }
        for item in &set.items {
            let found = match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    let Some((ty, args)) =
                        self.fields.get(&(on.to_owned(), f.name.node.to_string()))
                    else {
                        continue;
                    };
                    f.arguments
                        .iter()
                        .find_map(|(name, value)| {
                            let arg_ty = args.get(name.node.as_str())?;
                            self.value(
                                &value.node,
                                arg_ty,
                                &format!("{}.{}({})", on, f.name.node, name.node),
                            )
                        })
                        .or_else(|| self.walk(doc, ty, &f.selection_set.node, depth + 1))
                }
                Selection::InlineFragment(i) => {
                    let on = i
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(on, |c| c.node.on.node.as_str());
                    self.walk(doc, on, &i.node.selection_set.node, depth + 1)
                }
                Selection::FragmentSpread(s) => {
                    doc.fragments.get(&s.node.fragment_name.node).and_then(|d| {
                        let on = d.node.type_condition.node.on.node.as_str();
                        self.walk(doc, on, &d.node.selection_set.node, depth + 1)
                    })
                }
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn value(&self, value: &Value, ty: &Type, at: &str) -> Option<String> {
        match (&ty.base, value) {
            (_, Value::Null) => None,
            (BaseType::List(inner), Value::List(items)) => {
                items.iter().find_map(|v| self.value(v, inner, at))
            }
            (BaseType::List(inner), v) => self.value(v, inner, at),
            (BaseType::Named(name), Value::String(s)) if self.enums.contains(name.as_str()) => {
                Some(format!(
                    "{at} expects a {name} value, got the string \"{s}\"; write it without quotes"
                ))
            }
            (BaseType::Named(name), Value::Object(fields)) => fields.iter().find_map(|(k, v)| {
                let field_ty = self.inputs.get(&(name.to_string(), k.to_string()))?;
                self.value(v, field_ty, &format!("{at}.{k}"))
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_for_enums_are_found_in_lists_objects_and_fragments() {
        let types = SchemaTypes::from_sdl(
            "enum Kind { A B }\ninput F { kinds: [Kind!] name: String }\n\
             type Query { zones(filter: F, kind: Kind, name: String): [Zone!]! }\n\
             type Zone { slug: String! children(kind: Kind): [Zone!]! }",
        );
        let check = |q: &str| {
            let doc = async_graphql::parser::parse_query(q).expect("parses");
            let (_, op) = doc.operations.iter().next().expect("an operation");
            types.string_for_enum(&doc, &op.node)
        };
        assert!(check("{ zones(filter: {kinds: [\"A\"]}) { slug } }").is_some());
        assert!(check("{ zones(kind: \"A\") { slug } }").is_some());
        assert!(
            check("{ zones { ...Z } } fragment Z on Zone { children(kind: \"B\") { slug } }")
                .is_some()
        );
        assert!(
            check("{ zones(filter: {kinds: [A], name: \"x\"}, kind: B, name: \"A\") { slug } }")
                .is_none()
        );
        assert!(check("query($k: Kind) { zones(kind: $k) { slug } }").is_none());
    }
}
