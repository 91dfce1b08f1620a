//! The query-cost limits async-graphql measures during validation (complexity from each field's
//! `complexity` function, depth), applied by an extension that answers with a coded error
//! (`QUERY_TOO_COMPLEX`) instead of async-graphql's built-in limits, whose errors carry only text.
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ErrorExtensionValues, ServerError, ValidationResult};

/// The code every cost refusal carries, before or after validation.
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";

/// Refuses a validated document whose complexity or depth is over the limit.
pub struct CostLimits {
    pub max_complexity: usize,
    pub max_depth: usize,
}

impl ExtensionFactory for CostLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostCheck {
            max_complexity: self.max_complexity,
            max_depth: self.max_depth,
        })
    }
}

struct CostCheck {
    max_complexity: usize,
    max_depth: usize,
}

#[async_trait::async_trait]
impl Extension for CostCheck {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let over = [
            ("complexity", result.complexity, self.max_complexity),
            ("depth", result.depth, self.max_depth),
        ];
        match over.into_iter().find(|(_, found, limit)| found > limit) {
            Some((what, found, limit)) => Err(vec![too_complex(format!(
                "query {what} is {found}; the limit is {limit}"
            ))]),
            None => Ok(result),
        }
    }
}

fn too_complex(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", QUERY_TOO_COMPLEX);
    error.extensions = Some(extensions);
    error
}
