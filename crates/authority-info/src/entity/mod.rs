pub mod authority_information;
