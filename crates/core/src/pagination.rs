//! Checked pagination parameters for list endpoints.

use adgang_api_types::FieldCode;
use adgang_api_types::{Page, PageQuery};

use crate::{DomainError, FieldErrors};

pub const DEFAULT_PAGE_SIZE: u64 = 50;
pub const MAX_PAGE_SIZE: u64 = 500;
/// Far beyond any list here; it keeps `page × pageSize` within what the database binds.
pub const MAX_PAGE: u64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    Asc,
    Desc,
}

/// A page request whose sort field is one the endpoint allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<F> {
    pub page: u64,
    pub page_size: u64,
    pub sort: F,
    pub direction: SortDirection,
}

impl<F: Copy> PageRequest<F> {
    /// [`PageRequest::parse`] for a list shown newest first: without `sort`, the first field
    /// descending (a `sort` given names its own direction, ascending when it names none).
    pub fn parse_newest_first(
        query: &PageQuery,
        sortable: &[(&str, F)],
    ) -> Result<Self, DomainError> {
        let mut request = Self::parse(query, sortable)?;
        if query.sort.as_deref().is_none_or(str::is_empty) {
            request.direction = SortDirection::Desc;
        }
        Ok(request)
    }

    /// The items of this page of `items` (already in the requested order), and their total.
    pub fn slice<T>(&self, items: Vec<T>) -> Page<T> {
        let total = items.len() as u64;
        let page = items
            .into_iter()
            .skip(usize::try_from(self.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(self.page_size).unwrap_or(usize::MAX))
            .collect();
        self.into_page(page, total)
    }

    /// Checks `query` against the endpoint's sortable fields (`(wire name, field)` pairs); the
    /// first pair is the default sort.
    pub fn parse(query: &PageQuery, sortable: &[(&str, F)]) -> Result<Self, DomainError> {
        let mut errors = FieldErrors::new();
        let page = query.page.unwrap_or(0);
        let page_size = query.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if page > MAX_PAGE {
            errors.add(
                "page",
                FieldCode::PageRange,
                format!("page must be between 0 and {MAX_PAGE}."),
            );
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            errors.add(
                "pageSize",
                FieldCode::PageSizeRange,
                format!("pageSize must be between 1 and {MAX_PAGE_SIZE}."),
            );
        }
        let (mut sort, mut direction) = (sortable[0].1, SortDirection::Asc);
        if let Some(raw) = query.sort.as_deref().filter(|s| !s.is_empty()) {
            let (name, dir) = raw.split_once(':').unwrap_or((raw, "asc"));
            match sortable.iter().find(|(wire, _)| *wire == name) {
                Some((_, field)) => sort = *field,
                None => {
                    let allowed: Vec<_> = sortable.iter().map(|(w, _)| *w).collect();
                    errors.add(
                        "sort",
                        FieldCode::SortField,
                        format!("sort must be one of: {}.", allowed.join(", ")),
                    );
                }
            }
            match dir {
                "asc" => direction = SortDirection::Asc,
                "desc" => direction = SortDirection::Desc,
                _ => errors.add(
                    "sort",
                    FieldCode::SortDirection,
                    "sort direction must be asc or desc.",
                ),
            }
        }
        errors.into_result()?;
        Ok(PageRequest {
            page,
            page_size,
            sort,
            direction,
        })
    }

    pub fn offset(&self) -> u64 {
        self.page.saturating_mul(self.page_size)
    }

    /// Wraps one page of items with the counts the client needs to page on.
    pub fn into_page<T>(&self, items: Vec<T>, total_elements: u64) -> Page<T> {
        Page {
            items,
            current_page: self.page,
            page_size: self.page_size,
            total_elements,
            total_pages: total_elements.div_ceil(self.page_size),
        }
    }
}

/// One page of `query` in the request's order of `column` (then `tie`, unique, so pages are
/// stable), and the number of rows in all.
pub async fn page_of<E, F>(
    db: &impl sea_orm::ConnectionTrait,
    query: sea_orm::Select<E>,
    request: &PageRequest<F>,
    column: E::Column,
    tie: E::Column,
) -> Result<(Vec<E::Model>, u64), sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
    F: Copy,
{
    use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
    let order = match request.direction {
        SortDirection::Asc => sea_orm::Order::Asc,
        SortDirection::Desc => sea_orm::Order::Desc,
    };
    let total = query.clone().count(db).await?;
    let items = query
        .order_by(column, order.clone())
        .order_by(tie, order)
        .offset(request.offset())
        .limit(request.page_size)
        .all(db)
        .await?;
    Ok((items, total))
}

/// [`page_of`] as the page it answers with, each row shown by `show`.
pub async fn page_shown<E, F, T>(
    db: &impl sea_orm::ConnectionTrait,
    query: sea_orm::Select<E>,
    request: &PageRequest<F>,
    column: E::Column,
    tie: E::Column,
    show: impl FnMut(E::Model) -> T,
) -> Result<Page<T>, sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
    F: Copy,
{
    let (rows, total) = page_of(db, query, request, column, tie).await?;
    Ok(request.into_page(rows.into_iter().map(show).collect(), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Field {
        Name,
        Created,
    }
    const SORTABLE: &[(&str, Field)] = &[("name", Field::Name), ("createdAt", Field::Created)];

    /// The field error codes of a validation error, in order.
    fn field_codes(err: DomainError) -> Vec<&'static str> {
        let DomainError::Validation(fields) = err else {
            panic!("expected validation")
        };
        fields
            .into_inner()
            .into_iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    fn query(page: Option<u64>, size: Option<u64>, sort: Option<&str>) -> PageQuery {
        PageQuery {
            page,
            page_size: size,
            sort: sort.map(str::to_owned),
        }
    }

    #[test]
    fn x_03_defaults_to_first_page_of_fifty_sorted_by_first_field() {
        let req = PageRequest::parse(&query(None, None, None), SORTABLE).unwrap();
        assert_eq!((req.page, req.page_size, req.sort), (0, 50, Field::Name));
        assert_eq!(req.direction, SortDirection::Asc);
    }

    #[test]
    fn x_03_parses_sort_field_and_direction() {
        let req = PageRequest::parse(&query(Some(2), Some(10), Some("createdAt:desc")), SORTABLE)
            .unwrap();
        assert_eq!(
            (req.sort, req.direction, req.offset()),
            (Field::Created, SortDirection::Desc, 20)
        );
    }

    #[test]
    fn x_03_reports_every_bad_parameter_as_a_field_error() {
        let err = PageRequest::parse(&query(None, Some(0), Some("secret:sideways")), SORTABLE)
            .unwrap_err();
        assert_eq!(
            field_codes(err),
            ["page_size_range", "sort_field", "sort_direction"]
        );
    }

    #[test]
    fn x_03_counts_pages_rounding_up() {
        let req = PageRequest::parse(&query(None, Some(10), None), SORTABLE).unwrap();
        let page = req.into_page(vec![1, 2, 3], 21);
        assert_eq!((page.total_pages, page.total_elements), (3, 21));
    }

    #[test]
    fn x_03_a_huge_page_number_is_a_field_error_not_a_crash() {
        let err =
            PageRequest::parse(&query(Some(u64::MAX / 2), Some(500), None), SORTABLE).unwrap_err();
        assert_eq!(field_codes(err), ["page_range"]);
    }
}
