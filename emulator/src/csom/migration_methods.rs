//! The Tenant methods of migration after trust: the identity map, content moves, their
//! states, and long paths after a site rename. Parameters follow docs/migration-wire.md.

use serde_json::Value;
use uuid::Uuid;

use crate::csom::arguments::Arguments;
use crate::csom::move_state;
use crate::csom::request::Parameter;
use crate::csom::tenant_methods::{CallContext, CallResult};
use crate::tenant::Directory;
use crate::tenant::host_url::HostUrl;
use crate::tenant::move_query::MoveQuery;
use crate::tenant::move_rules::{MoveRequest, Started};
use crate::wire::enums::{ContentType, MoveDirection, MoveStateFilter, Role};
use crate::wire::status_codes::{Failure, FailureKind};

/// `Some` when `method` is one of ours.
pub fn call(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Option<Result<CallResult, Failure>> {
    let result = match method {
        "AddOrUpdateTenantIdentityMap" => add_identity_map(directory, context, method, parameters),
        "StartSPOCrossTenantContentMove" => start(directory, context, method, parameters),
        "StopSPOCrossTenantContentMove" => stop(directory, context, method, parameters),
        "GetSPOCrossTenantContentMoveState" => states(directory, context, method, parameters),
        "GetSPOCrossTenantLongFilePathsForSiteRename" => {
            long_paths(directory, context, method, parameters)
        }
        _ => return None,
    };
    Some(result)
}

fn add_identity_map(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Result<CallResult, Failure> {
    let arguments = Arguments::expect(method, parameters, 1)?;
    let items = arguments.string_array(0)?;
    let tenant = directory
        .tenant_mut_checked(context.tenant)
        .expect("tenant resolved from the request path");
    let (rejections, _) = tenant
        .identity_map
        .upload(&items, context.identity_map_uploads);
    Ok(CallResult {
        value: Some(Value::from(rejections)),
        changed: false,
        deferred: true,
    })
}

fn start(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Result<CallResult, Failure> {
    let arguments = Arguments::expect(method, parameters, 8)?;
    let request = MoveRequest {
        content_type: content_type(&arguments)?,
        source_key: required(&arguments, 1, "sourceContentKey")?,
        target_key: required(&arguments, 2, "targetContentKey")?,
        target_host_url: arguments.string(3)?,
        preferred_begin: arguments.date_time(4)?,
        preferred_end: arguments.date_time(5)?,
        validation_only: arguments.boolean(6)?,
        force: arguments.boolean(7)?,
    };
    let started = directory.start_move(
        context.tenant,
        request,
        context.now,
        context.dormant_period,
        context.move_step,
    )?;
    let layout = directory.layout();
    let (object, kept) = match &started {
        Started::Kept(index) => {
            let found = directory.moves().get(*index);
            let view = found.initial_view();
            let object = move_state::object(
                layout,
                found,
                &view,
                MoveDirection::MoveOut,
                false,
                context.now,
            );
            (object, true)
        }
        Started::Validated(found) => {
            // The checks passed: answered as a finished validation, and not kept.
            let mut view = found.initial_view();
            view.status = crate::tenant::moves::MoveStatus::Success;
            view.percent = 100;
            view.completed = Some(context.now);
            let object = move_state::object(
                layout,
                found,
                &view,
                MoveDirection::MoveOut,
                true,
                context.now,
            );
            (object, false)
        }
    };
    Ok(CallResult {
        value: Some(move_state::text(&object)),
        changed: false,
        deferred: kept,
    })
}

fn stop(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Result<CallResult, Failure> {
    let arguments = Arguments::expect(method, parameters, 2)?;
    let content_type = content_type(&arguments)?;
    let key = required(&arguments, 1, "moveJobKey")?;
    let index = directory.stop_move(context.tenant, content_type, &key, context.now)?;
    let found = directory.moves().get(index);
    let view = found.view(context.now);
    let object = move_state::object(
        directory.layout(),
        found,
        &view,
        MoveDirection::MoveOut,
        false,
        context.now,
    );
    Ok(CallResult {
        value: Some(move_state::text(&object)),
        changed: false,
        deferred: true,
    })
}

fn states(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Result<CallResult, Failure> {
    let arguments = Arguments::expect(method, parameters, 10)?;
    let content_type = content_type(&arguments)?;
    let partner_text = arguments.string(1)?;
    // Our choice: an empty partner URL asks about every partner.
    let partner = if partner_text.trim().is_empty() {
        None
    } else {
        let url = HostUrl::parse(&partner_text)?;
        Some(directory.tenant_at(&url).map(str::to_string))
    };
    let source_key = arguments.string(2)?;
    let move_id = arguments.guid(3)?;
    let state = int_enum(
        &arguments,
        4,
        "moveState",
        MoveStateFilter::WIRE_NAME,
        MoveStateFilter::from_number,
    )?;
    let direction = int_enum(
        &arguments,
        5,
        "moveDirection",
        MoveDirection::WIRE_NAME,
        MoveDirection::from_number,
    )?;
    let query = MoveQuery {
        content_type,
        partner,
        source_key: (!source_key.trim().is_empty()).then(|| source_key.trim().to_string()),
        move_id: (move_id != Uuid::nil()).then_some(move_id),
        state,
        direction,
        limit: arguments.uint32(6)?,
        created_from: arguments.date_time(7)?,
        created_until: arguments.date_time(8)?,
        partner_role: arguments.enumeration(
            9,
            "partnerRole",
            Role::WIRE_NAME,
            Role::from_number,
        )?,
    };
    let layout = directory.layout();
    let objects: Vec<Value> = directory
        .query_moves(context.tenant, &query, context.now)
        .into_iter()
        .map(|(found, direction)| {
            let view = found.view(context.now);
            move_state::object(layout, found, &view, direction, false, context.now)
        })
        .collect();
    Ok(CallResult {
        value: Some(move_state::text(&Value::from(objects))),
        changed: false,
        deferred: false,
    })
}

fn long_paths(
    directory: &mut Directory,
    context: CallContext,
    method: &str,
    parameters: &[Parameter],
) -> Result<CallResult, Failure> {
    let arguments = Arguments::expect(method, parameters, 2)?;
    let old_url = arguments.string(0)?;
    let new_url = arguments.string(1)?;
    let paths = directory.long_paths_after_rename(context.tenant, &old_url, &new_url)?;
    Ok(CallResult {
        value: Some(Value::from(paths)),
        changed: false,
        deferred: false,
    })
}

fn content_type(arguments: &Arguments) -> Result<ContentType, Failure> {
    arguments.enumeration(
        0,
        "contentType",
        ContentType::WIRE_NAME,
        ContentType::from_number,
    )
}

fn required(arguments: &Arguments, index: usize, name: &str) -> Result<String, Failure> {
    let text = arguments.string(index)?;
    if text.trim().is_empty() {
        return Err(Failure::new(
            FailureKind::InvalidArgument,
            format!("The value cannot be empty.\r\nParameter name: {name}"),
        ));
    }
    Ok(text)
}

/// An Int32 parameter that carries an enum number (moveState, moveDirection).
fn int_enum<E>(
    arguments: &Arguments,
    index: usize,
    name: &str,
    type_name: &str,
    from_number: fn(i64) -> Option<E>,
) -> Result<E, Failure> {
    let number = arguments.int32(index)?;
    from_number(i64::from(number)).ok_or_else(|| {
        Failure::new(
            FailureKind::InvalidArgument,
            format!("The value {number} is not defined in {type_name}.\r\nParameter name: {name}"),
        )
    })
}
