"""L1 catalog: 政务服务事项 (service items), categories, themes, materials, forms, fees, processes, bundles."""
