"""Request and response models, one family per resource (`XCreate`, `XUpdate`, `XPublic`,
`XsPublic`). Request bodies forbid unknown fields; responses carry only public fields."""
