//! The whole structure as a tree (CS-02).

use super::*;

/// What the tree needs of a point.
pub(crate) struct TreePoint {
    id: String,
    name: String,
    usable: bool,
}

/// The organisation's whole structure (CS-02) from four queries, however large: groups,
/// their parent edges, points, and point placements. Items placed more than once are marked.
pub async fn tree(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<Vec<ContactTreeNode>, ContactsError> {
    let groups = group_models(db, org).await?;
    let edges = parent_edges(db, org).await?;
    use sea_orm::QuerySelect;
    // Only the columns the tree shows: whole rows cost far more at 10,000 points.
    let points: Vec<TreePoint> = contact_point::Entity::find()
        .select_only()
        .columns([
            contact_point::Column::Id,
            contact_point::Column::Name,
            contact_point::Column::Active,
            contact_point::Column::RecipientSystemId,
        ])
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .order_by_asc(contact_point::Column::Name)
        .order_by_asc(contact_point::Column::Id)
        .into_tuple::<(String, String, bool, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, active, system)| TreePoint {
            id,
            name,
            usable: active && system.is_some(),
        })
        .collect();
    let placed: Vec<(String, String)> = contact_point_group::Entity::find()
        .select_only()
        .columns([
            contact_point_group::Column::PointId,
            contact_point_group::Column::GroupId,
        ])
        .filter(contact_point_group::Column::OrganisationCvr.eq(org.as_str()))
        .into_tuple()
        .all(db)
        .await?;

    let mut child_groups: HashMap<&str, Vec<&contact_group::Model>> = HashMap::new();
    let mut parent_count: HashMap<&str, usize> = HashMap::new();
    let by_id: HashMap<&str, &contact_group::Model> =
        groups.iter().map(|g| (g.id.as_str(), g)).collect();
    for edge in &edges {
        if let Some(group) = by_id.get(edge.group_id.as_str()) {
            child_groups
                .entry(edge.parent_id.as_str())
                .or_default()
                .push(group);
            *parent_count.entry(edge.group_id.as_str()).or_default() += 1;
        }
    }
    let mut group_points: HashMap<&str, Vec<&TreePoint>> = HashMap::new();
    let mut placement_count: HashMap<&str, usize> = HashMap::new();
    let points_by_id: HashMap<&str, &TreePoint> =
        points.iter().map(|p| (p.id.as_str(), p)).collect();
    for (point_id, group_id) in &placed {
        if let Some(point) = points_by_id.get(point_id.as_str()) {
            group_points
                .entry(group_id.as_str())
                .or_default()
                .push(point);
            *placement_count.entry(point_id.as_str()).or_default() += 1;
        }
    }
    for list in child_groups.values_mut() {
        list.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }
    for list in group_points.values_mut() {
        list.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }

    let point_node = |p: &TreePoint| ContactTreeNode {
        kind: ContactNodeKind::Point,
        id: p.id.clone(),
        name: p.name.clone(),
        duplicate: placement_count.get(p.id.as_str()).copied().unwrap_or(0) > 1,
        usable: p.usable,
        children: Vec::new(),
    };
    struct Ctx<'a, F: Fn(&TreePoint) -> ContactTreeNode> {
        child_groups: &'a HashMap<&'a str, Vec<&'a contact_group::Model>>,
        group_points: &'a HashMap<&'a str, Vec<&'a TreePoint>>,
        parent_count: &'a HashMap<&'a str, usize>,
        point_node: F,
    }
    fn group_node<F: Fn(&TreePoint) -> ContactTreeNode>(
        ctx: &Ctx<'_, F>,
        group: &contact_group::Model,
        path: &mut Vec<String>,
    ) -> ContactTreeNode {
        path.push(group.id.clone());
        let mut children: Vec<ContactTreeNode> = Vec::new();
        for child in ctx
            .child_groups
            .get(group.id.as_str())
            .into_iter()
            .flatten()
        {
            // Validation refuses cycles; this guard keeps a corrupt row from recursing forever.
            if !path.contains(&child.id) {
                children.push(group_node(ctx, child, path));
            }
        }
        children.extend(
            ctx.group_points
                .get(group.id.as_str())
                .into_iter()
                .flatten()
                .map(|p| (ctx.point_node)(p)),
        );
        path.pop();
        ContactTreeNode {
            kind: ContactNodeKind::Group,
            id: group.id.clone(),
            name: group.name.clone(),
            duplicate: ctx
                .parent_count
                .get(group.id.as_str())
                .copied()
                .unwrap_or(0)
                > 1,
            usable: children.iter().any(|c| c.usable),
            children,
        }
    }
    let ctx = Ctx {
        child_groups: &child_groups,
        group_points: &group_points,
        parent_count: &parent_count,
        point_node,
    };
    let mut roots: Vec<ContactTreeNode> = groups
        .iter()
        .filter(|g| !parent_count.contains_key(g.id.as_str()))
        .map(|g| group_node(&ctx, g, &mut Vec::new()))
        .collect();
    roots.extend(
        points
            .iter()
            .filter(|p| !placement_count.contains_key(p.id.as_str()))
            .map(|p| (ctx.point_node)(p)),
    );
    Ok(roots)
}
