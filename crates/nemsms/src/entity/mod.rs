pub mod confirmation;
pub mod enrolment;
