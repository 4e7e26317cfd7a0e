//! sea-orm entities, one module per table. Private: repositories map them to [`crate::records`].

pub(crate) mod auth_session;
pub(crate) mod installation;
pub(crate) mod job_run;
