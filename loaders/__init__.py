"""innograph.loaders"""
