pub mod exemption;
pub mod exemption_receipt;
