//! Deleting a group with what lives only inside it (CS-03).

use super::*;

/// What deleting a group removes: the groups and points that live only inside it, and the
/// placements of items that also live elsewhere.
pub(crate) struct DeletionPlan {
    preview: adgang_api_types::ContactGroupDeletion,
    groups: Vec<contact_group::Model>,
    points: Vec<contact_point::Model>,
    /// (child group, parent, child's name) edges to remove from groups that stay.
    parent_edges: Vec<(String, String, String)>,
    /// (point, group, point's name) placements to remove from points that stay.
    point_placements: Vec<(String, String, String)>,
}

pub(crate) async fn plan_deletion(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
) -> Result<DeletionPlan, ContactsError> {
    use adgang_api_types::{ContactDeletionNode, ContactGroupDeletion};
    let groups = group_models(db, org).await?;
    let root = groups
        .iter()
        .find(|g| g.id == id)
        .cloned()
        .ok_or(ContactsError::NotFound("contact group"))?;
    let edges = parent_edges(db, org).await?;
    let placed = placements(db, org).await?;
    let points = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .all(db)
        .await?;

    // Grow the deleted set: a sub-group goes when all its parents go (fixpoint).
    let mut deleted: HashSet<&str> = HashSet::from([id]);
    loop {
        let before = deleted.len();
        for group in &groups {
            let parents: Vec<&str> = edges
                .iter()
                .filter(|e| e.group_id == group.id)
                .map(|e| e.parent_id.as_str())
                .collect();
            if !parents.is_empty() && parents.iter().all(|p| deleted.contains(p)) {
                deleted.insert(group.id.as_str());
            }
        }
        if deleted.len() == before {
            break;
        }
    }
    let point_goes = |point_id: &str| {
        placed
            .iter()
            .filter(|p| p.point_id == point_id)
            .all(|p| deleted.contains(p.group_id.as_str()))
    };

    let by_id: HashMap<&str, &contact_group::Model> =
        groups.iter().map(|g| (g.id.as_str(), g)).collect();
    let points_by_id: HashMap<&str, &contact_point::Model> =
        points.iter().map(|p| (p.id.as_str(), p)).collect();
    fn node(
        group: &contact_group::Model,
        deleted: &HashSet<&str>,
        edges: &[contact_group_parent::Model],
        placed: &[contact_point_group::Model],
        by_id: &HashMap<&str, &contact_group::Model>,
        points_by_id: &HashMap<&str, &contact_point::Model>,
        point_goes: &dyn Fn(&str) -> bool,
    ) -> ContactDeletionNode {
        let mut children: Vec<ContactDeletionNode> = Vec::new();
        let mut sub: Vec<&contact_group::Model> = edges
            .iter()
            .filter(|e| e.parent_id == group.id)
            .filter_map(|e| by_id.get(e.group_id.as_str()).copied())
            .collect();
        sub.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        for child in sub {
            if deleted.contains(child.id.as_str()) {
                children.push(node(
                    child,
                    deleted,
                    edges,
                    placed,
                    by_id,
                    points_by_id,
                    point_goes,
                ));
            } else {
                children.push(ContactDeletionNode {
                    kind: ContactNodeKind::Group,
                    id: child.id.clone(),
                    name: child.name.clone(),
                    also_elsewhere: true,
                    children: Vec::new(),
                });
            }
        }
        let mut here: Vec<&contact_point::Model> = placed
            .iter()
            .filter(|p| p.group_id == group.id)
            .filter_map(|p| points_by_id.get(p.point_id.as_str()).copied())
            .collect();
        here.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        children.extend(here.into_iter().map(|p| ContactDeletionNode {
            kind: ContactNodeKind::Point,
            id: p.id.clone(),
            name: p.name.clone(),
            also_elsewhere: !point_goes(&p.id),
            children: Vec::new(),
        }));
        ContactDeletionNode {
            kind: ContactNodeKind::Group,
            id: group.id.clone(),
            name: group.name.clone(),
            also_elsewhere: false,
            children,
        }
    }
    let tree = node(
        &root,
        &deleted,
        &edges,
        &placed,
        &by_id,
        &points_by_id,
        &point_goes,
    );

    let doomed_points: Vec<contact_point::Model> = points
        .iter()
        .filter(|p| {
            placed
                .iter()
                .any(|pl| pl.point_id == p.id && deleted.contains(pl.group_id.as_str()))
                && point_goes(&p.id)
        })
        .cloned()
        .collect();
    let doomed_point_ids: HashSet<&str> = doomed_points.iter().map(|p| p.id.as_str()).collect();
    let point_placements: Vec<(String, String, String)> = placed
        .iter()
        .filter(|p| {
            deleted.contains(p.group_id.as_str()) && !doomed_point_ids.contains(p.point_id.as_str())
        })
        .filter_map(|p| {
            let point = points_by_id.get(p.point_id.as_str())?;
            Some((p.point_id.clone(), p.group_id.clone(), point.name.clone()))
        })
        .collect();
    let parent_edges: Vec<(String, String, String)> = edges
        .iter()
        .filter(|e| {
            deleted.contains(e.parent_id.as_str()) && !deleted.contains(e.group_id.as_str())
        })
        .filter_map(|e| {
            let group = by_id.get(e.group_id.as_str())?;
            Some((e.group_id.clone(), e.parent_id.clone(), group.name.clone()))
        })
        .collect();
    let doomed_groups: Vec<contact_group::Model> = groups
        .iter()
        .filter(|g| deleted.contains(g.id.as_str()))
        .cloned()
        .collect();
    Ok(DeletionPlan {
        preview: ContactGroupDeletion {
            root: tree,
            groups_deleted: u32::try_from(doomed_groups.len()).unwrap_or(u32::MAX),
            points_deleted: u32::try_from(doomed_points.len()).unwrap_or(u32::MAX),
            placements_removed: u32::try_from(point_placements.len() + parent_edges.len())
                .unwrap_or(u32::MAX),
        },
        groups: doomed_groups,
        points: doomed_points,
        parent_edges,
        point_placements,
    })
}

/// What "Slet gruppe" would remove, without removing anything.
/// CS-03.
pub async fn deletion_preview(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
) -> Result<adgang_api_types::ContactGroupDeletion, ContactsError> {
    Ok(plan_deletion(db, org, id).await?.preview)
}

/// Deletes a group with its content (CS-03) in the caller's transaction: the groups and
/// points that live only inside it go; items that also live elsewhere lose only this
/// placement. Every removed item and placement is logged. Nothing is applied unless the
/// transaction commits, so a failure half-way leaves the structure as it was.
pub async fn delete_group(
    db: &impl ConnectionTrait,
    actor: &Actor,
    org: &Cvr,
    id: &str,
    now: DateTime<Utc>,
) -> Result<adgang_api_types::ContactGroupDeletion, ContactsError> {
    let plan = plan_deletion(db, org, id).await?;
    let group_ids: Vec<String> = plan.groups.iter().map(|g| g.id.clone()).collect();

    // Placements of surviving items.
    for (point, group, name) in &plan.point_placements {
        contact_point_group::Entity::delete_by_id((point.clone(), group.clone()))
            .exec(db)
            .await?;
        let change = vec![FieldChange::new("groupIds", Some(group), None::<String>)];
        record_action(
            db,
            actor,
            now,
            record(org, point, name, ActionEvent::Edited, change),
        )
        .await?;
    }
    for (group, parent, name) in &plan.parent_edges {
        contact_group_parent::Entity::delete_by_id((group.clone(), parent.clone()))
            .exec(db)
            .await?;
        let change = vec![FieldChange::new("parentIds", Some(parent), None::<String>)];
        record_action(
            db,
            actor,
            now,
            record(org, group, name, ActionEvent::Edited, change),
        )
        .await?;
    }
    // Points that live only inside, then the groups (edges first: foreign keys).
    for point in &plan.points {
        let full = point_dto(db, point.clone()).await?;
        remove_point(db, &point.id).await?;
        let rows = changes(Some(&point_fields(&full)), None);
        record_action(
            db,
            actor,
            now,
            record(org, &point.id, &point.name, ActionEvent::Deleted, rows),
        )
        .await?;
    }
    contact_group_parent::Entity::delete_many()
        .filter(contact_group_parent::Column::GroupId.is_in(group_ids.clone()))
        .exec(db)
        .await?;
    for group in &plan.groups {
        contact_group::Entity::delete_by_id(group.id.as_str())
            .exec(db)
            .await?;
        let rows = vec![
            FieldChange::new("name", Some(&group.name), None::<String>),
            FieldChange::new("description", Some(&group.description), None::<String>),
        ];
        record_action(
            db,
            actor,
            now,
            record(org, &group.id, &group.name, ActionEvent::Deleted, rows),
        )
        .await?;
    }
    bump_version(db, org).await?;
    Ok(plan.preview)
}
